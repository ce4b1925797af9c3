/** A proposal as an object instead of CloudStack's `cipher-hash;dhgroup` text. */
export interface ProposalInput {
  readonly cipher: "3des" | "aes128" | "aes192" | "aes256";
  readonly hash: "md5" | "sha1" | "sha256" | "sha384" | "sha512";
  /**
   * Diffie-Hellman group (required in IKE policies; PFS group in ESP policies).
   *
   * @default - none (ESP without PFS)
   */
  readonly dhGroup?: "modp1024" | "modp1536" | "modp2048" | "modp3072" | "modp4096" | "modp6144" | "modp8192";
}

/** CloudStack's policy text (`aes256-sha256;modp2048`, comma-separated) or proposal objects. */
export type PolicyInput = string | ProposalInput | ProposalInput[];

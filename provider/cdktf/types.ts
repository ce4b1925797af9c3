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

export interface CloudStackProviderProps {
  /**
   * The API endpoint, e.g. `https://cloud.example.com/client/api`.
   *
   * @default - `CLOUDSTACK_API_URL` of the Terraform process
   */
  readonly apiUrl?: string;
  /**
   * The API key (not secret on its own). The secret key is never a prop: the provider reads
   * `CLOUDSTACK_SECRET_KEY`, so it stays out of cdk.tf.json.
   *
   * @default - `CLOUDSTACK_API_KEY` of the Terraform process
   */
  readonly apiKey?: string;
  /**
   * Use only GET requests.
   *
   * @default false
   */
  readonly httpGetOnly?: boolean;
  /**
   * Seconds to wait for async jobs.
   *
   * @default 900
   */
  readonly timeout?: number;
  /**
   * Provider alias, for more than one cloud in a stack.
   *
   * @default - the default provider
   */
  readonly alias?: string;
  /**
   * Version constraint of `cloudstack/cloudstack`.
   *
   * @default "~> 0.5"
   */
  readonly version?: string;
}

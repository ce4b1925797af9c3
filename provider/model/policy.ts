/**
 * CloudStack's IKE/ESP policy grammar (contract §2.2, `NetUtils.isValidS2SVpnPolicy`):
 * `cipher-hash[;dhgroup]`, several separated by commas. We accept the same strings (stricter on the edges CloudStack
 * lets through by accident: empty entries, trailing `;`, junk after the group) or typed objects, and normalise both
 * to the canonical string CloudStack stores.
 */
export const CIPHERS = ["aes128", "aes192", "aes256", "3des"] as const;
export const HASHES = ["sha256", "sha384", "sha512", "sha1", "md5"] as const;
export const DH_GROUPS = ["modp2048", "modp3072", "modp4096", "modp6144", "modp8192", "modp1536", "modp1024"] as const;
export type Cipher = (typeof CIPHERS)[number];
export type Hash = (typeof HASHES)[number];
export type DhGroup = (typeof DH_GROUPS)[number];

/** Refused unless `allowLegacyCrypto: true`: broken or too weak for a network edge. */
export const LEGACY_ALGORITHMS: readonly string[] = ["3des", "md5", "modp1024"];

export interface Proposal {
  cipher: Cipher;
  hash: Hash;
  dhGroup?: DhGroup;
}

export type PolicyParse = { proposals: Proposal[] } | { problem: string };

export function parsePolicy(text: string): PolicyParse {
  if (text.length === 0) return { problem: "is empty" };
  const proposals: Proposal[] = [];
  for (const [index, entry] of text.split(",").entries()) {
    const where = text.includes(",") ? `proposal ${index + 1} (${JSON.stringify(entry)}) ` : "";
    if (entry.length === 0) return { problem: `${where}is empty; remove the stray comma` };
    const parts = entry.split(";");
    if (parts.length > 2) return { problem: `${where}has more than one ';'; write cipher-hash;dhgroup` };
    const [cipherHash = "", group] = parts;
    const pair = cipherHash.split("-");
    if (pair.length !== 2) return { problem: `${where}is not of the form cipher-hash[;dhgroup]` };
    const [cipher = "", hash = ""] = pair;
    if (!(CIPHERS as readonly string[]).includes(cipher)) return { problem: `${where}names unknown cipher ${JSON.stringify(cipher)}; allowed: ${CIPHERS.join(", ")}` };
    if (!(HASHES as readonly string[]).includes(hash)) return { problem: `${where}names unknown hash ${JSON.stringify(hash)}; allowed: ${HASHES.join(", ")}` };
    if (group !== undefined && !(DH_GROUPS as readonly string[]).includes(group)) {
      return { problem: `${where}names unknown DH group ${JSON.stringify(group)}; allowed: ${DH_GROUPS.join(", ")}` };
    }
    proposals.push({ cipher: cipher as Cipher, hash: hash as Hash, ...(group !== undefined ? { dhGroup: group as DhGroup } : {}) });
  }
  return { proposals };
}

/** The canonical CloudStack form: `aes256-sha256;modp2048,aes128-sha256;modp2048`. */
export function formatPolicy(proposals: readonly Proposal[]): string {
  return proposals.map((p) => `${p.cipher}-${p.hash}${p.dhGroup ? `;${p.dhGroup}` : ""}`).join(",");
}

export function legacyAlgorithmsIn(proposals: readonly Proposal[]): string[] {
  const used = new Set<string>();
  for (const p of proposals) for (const a of [p.cipher, p.hash, p.dhGroup]) if (a && LEGACY_ALGORITHMS.includes(a)) used.add(a);
  return [...used];
}

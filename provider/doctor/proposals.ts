/**
 * IKE/ESP proposals as charon prints them (`IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048`), the
 * site's policy in the same notation, and the first transform in which two lists differ.
 */
export type TransformType = "encryption" | "integrity" | "prf" | "dh-group" | "esn";

export interface Proposal {
  protocol: "IKE" | "ESP" | "AH";
  transforms: string[];
  text: string;
}

const ORDER: TransformType[] = ["encryption", "integrity", "prf", "dh-group", "esn"];

export function transformType(t: string): TransformType {
  if (t.startsWith("PRF_")) return "prf";
  if (/^(MODP_|ECP_|CURVE_|ECP|MODP|ML_KEM)/.test(t)) return "dh-group";
  if (/EXT_SEQ$/.test(t)) return "esn";
  if (/^(HMAC_|AES_XCBC|AES_CMAC|AUTH_)/.test(t)) return "integrity";
  return "encryption";
}

/** `IKE:A/B/C, IKE:D/E` → proposals (charon separates several with ", "). */
export function parseProposals(text: string): Proposal[] {
  return text
    .split(/,\s*/)
    .map((p) => p.trim())
    .filter((p) => /^(IKE|ESP|AH):/.test(p))
    .map((p) => {
      const [protocol, rest] = p.split(":") as ["IKE" | "ESP" | "AH", string];
      return { protocol, transforms: rest.split("/"), text: p };
    });
}

const CIPHERS: Record<string, string> = {
  aes128: "AES_CBC_128", aes192: "AES_CBC_192", aes256: "AES_CBC_256", "3des": "3DES_CBC",
  aes128gcm16: "AES_GCM_16_128", aes256gcm16: "AES_GCM_16_256",
};
const HASHES: Record<string, [string, string]> = {
  md5: ["HMAC_MD5_96", "PRF_HMAC_MD5"], sha1: ["HMAC_SHA1_96", "PRF_HMAC_SHA1"], sha256: ["HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256"],
  sha384: ["HMAC_SHA2_384_192", "PRF_HMAC_SHA2_384"], sha512: ["HMAC_SHA2_512_256", "PRF_HMAC_SHA2_512"],
};
const GROUPS: Record<string, string> = {
  modp1024: "MODP_1024", modp1536: "MODP_1536", modp2048: "MODP_2048", modp3072: "MODP_3072", modp4096: "MODP_4096",
  modp6144: "MODP_6144", modp8192: "MODP_8192", ecp256: "ECP_256", ecp384: "ECP_384", ecp521: "ECP_521", curve25519: "CURVE_25519",
};

/**
 * A strongSwan proposal string (`aes256-sha256-modp2048!`, several comma-separated) in charon's log notation.
 * Returns undefined for keywords this table does not know, rather than guessing.
 */
export function proposalsFromConfig(config: string, protocol: "IKE" | "ESP"): Proposal[] | undefined {
  const out: Proposal[] = [];
  for (const one of config.replace(/!$/, "").split(",")) {
    const words = one.trim().split("-");
    const transforms: string[] = [];
    const cipher = CIPHERS[words[0] ?? ""];
    if (!cipher) return undefined;
    transforms.push(cipher);
    let i = 1;
    const hash = HASHES[words[i] ?? ""];
    if (hash) {
      if (!cipher.startsWith("AES_GCM")) transforms.push(hash[0]);
      if (protocol === "IKE") transforms.push(hash[1]);
      i++;
    }
    for (; i < words.length; i++) {
      const g = GROUPS[words[i]!];
      if (!g) return undefined;
      transforms.push(g);
    }
    if (protocol === "ESP") transforms.push("NO_EXT_SEQ");
    out.push({ protocol, transforms, text: `${protocol}:${transforms.join("/")}` });
  }
  return out;
}

export interface TransformDifference {
  type: TransformType;
  /** What the first list (the sender's, or this side's) holds for that type; "none" when absent. */
  ours: string;
  theirs: string;
}

function byType(p: Proposal, type: TransformType): string {
  return p.transforms.filter((t) => transformType(t) === type).join("+") || "none";
}

/**
 * The first transform type (encryption, integrity, PRF, DH group, ESN, in charon's order) in which the closest
 * pair of proposals differs; undefined when some pair is equal.
 */
export function firstDifference(a: Proposal[], b: Proposal[]): TransformDifference | undefined {
  let best: { index: number; diff: TransformDifference } | undefined;
  for (const pa of a)
    for (const pb of b) {
      const index = ORDER.findIndex((type) => byType(pa, type) !== byType(pb, type));
      if (index < 0) return undefined;
      // the pair that agrees longest is the one the operator meant to match
      if (!best || index > best.index) best = { index, diff: { type: ORDER[index]!, ours: byType(pa, ORDER[index]!), theirs: byType(pb, ORDER[index]!) } };
    }
  return best?.diff;
}

export function sideBySide(leftTitle: string, left: Proposal[], rightTitle: string, right: Proposal[]): string[] {
  const width = Math.max(leftTitle.length, ...left.map((p) => p.text.length));
  const rows = Math.max(left.length, right.length);
  const lines = [`${leftTitle.padEnd(width)} | ${rightTitle}`];
  for (let i = 0; i < rows; i++) lines.push(`${(left[i]?.text ?? "").padEnd(width)} | ${right[i]?.text ?? ""}`);
  return lines;
}

/**
 * `NetUtils.isValidS2SVpnPolicy(policyType, policys)` (contract §2.2), with Java `split` semantics. A trailing `;`
 * makes Java index past the array; that is reproduced as a thrown error, which CloudStack answers with 530.
 */
import { ARRAY_INDEX_OUT_OF_BOUNDS } from "../error-texts";
import { unhandled } from "../errors";
import { javaSplit } from "./java-split";

const CIPHER = /^(3des|aes128|aes192|aes256)$/;
const HASH = /^(md5|sha1|sha256|sha384|sha512)$/;
const DH_GROUP = /^(modp1024|modp1536|modp2048|modp3072|modp4096|modp6144|modp8192)$/;

/** @throws a CloudStackError of kind Unhandled for `x-y;` (Java's ArrayIndexOutOfBoundsException). */
export function isValidS2SVpnPolicy(policyType: string, policies: string): boolean {
  if (policyType === "" || policies === "") return false;
  for (const policy of javaSplit(policies, ",")) {
    const parts = javaSplit(policy, ";");
    const cipherHash = parts[0]!;
    const hasGroup = policy !== cipherHash;
    // Java reads split(";")[1] before looking at the cipher, so `x;` fails here whatever x is.
    if (hasGroup && parts[1] === undefined) throw unhandled(ARRAY_INDEX_OUT_OF_BOUNDS);
    const cipherAndHash = javaSplit(cipherHash, "-");
    if (cipherAndHash.length !== 2) return false;
    if (!CIPHER.test(cipherAndHash[0]!) || !HASH.test(cipherAndHash[1]!)) return false;
    // strongSwan needs a DH group for IKE, so CloudStack requires one there; for ESP it is optional (PFS).
    if (!hasGroup && policyType.toLowerCase() === "ike") return false;
    if (hasGroup && !DH_GROUP.test(parts[1]!)) return false;
  }
  return true;
}

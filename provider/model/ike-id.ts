import { configUnsafeReason } from "./config-safe";
import * as ipaddr from "ipaddr.js";
import { isFqdn, isIpv6, isStrictIpv4 } from "./net";
import { isResponderIdNamespace, RESPONDER_ID_DOMAIN } from "./responder-id";

export const IKE_ID_TYPES = ["ipv4", "ipv6", "fqdn", "email", "dn"] as const;
export type IkeIdType = (typeof IKE_ID_TYPES)[number];

/**
 * RDN attribute names strongSwan 5.9 understands in ASN.1 DN identities (its x501rdns table, common subset).
 * An unknown name would be silently dropped or make charon refuse the ID, so it is refused here instead.
 */
export const DN_ATTRIBUTES = [
  "C", "ST", "S", "L", "O", "OU", "CN", "E", "Email", "emailAddress", "DC", "UID", "SN", "serialNumber", "T",
  "title", "G", "GN", "I", "ID", "dnQualifier", "DNQ", "N", "D", "postalCode", "street",
] as const;

export function isIkeIdType(value: unknown): value is IkeIdType {
  return (IKE_ID_TYPES as readonly unknown[]).includes(value);
}

/** Guesses the ID type the way strongSwan's `identification_create_from_string` would read the text. */
export function detectIkeIdType(id: string): IkeIdType {
  if (id.includes("=")) return "dn";
  if (isStrictIpv4(id)) return "ipv4";
  if (id.includes(":") && isIpv6(id)) return "ipv6";
  if (id.startsWith("@")) return "fqdn";
  if (id.includes("@")) return "email";
  return "fqdn";
}

/** `@branch.example.com` (strongSwan's explicit FQDN form) → `branch.example.com`; DNs → `A=x, B=y`. */
export function normaliseIkeId(id: string, type: IkeIdType): string {
  if (type === "fqdn" && id.startsWith("@")) return id.slice(1);
  if (type === "dn") return parseDn(id).rdns?.map(([k, v]) => `${k}=${v}`).join(", ") ?? id;
  return id;
}

export function parseDn(text: string): { rdns?: [string, string][]; problem?: string } {
  const rdns: [string, string][] = [];
  for (const [index, part] of text.split(",").entries()) {
    const rdn = part.trim();
    const eq = rdn.indexOf("=");
    if (eq <= 0) return { problem: `RDN ${index + 1} (${JSON.stringify(rdn)}) is not of the form ATTRIBUTE=value` };
    const key = rdn.slice(0, eq).trim();
    const value = rdn.slice(eq + 1).trim();
    const known = DN_ATTRIBUTES.find((a) => a.toLowerCase() === key.toLowerCase());
    if (!known) return { problem: `RDN ${index + 1} has unknown attribute ${JSON.stringify(key)}; use one of ${DN_ATTRIBUTES.slice(0, 10).join(", ")} …` };
    if (value.length === 0) return { problem: `RDN ${index + 1} (${key}) has an empty value` };
    if (/[=+;:/<>]/.test(value)) return { problem: `RDN ${index + 1} (${key}) value ${JSON.stringify(value)} contains one of = + ; : / < > (multi-valued or escaped RDNs are not supported)` };
    rdns.push([known, value]);
  }
  return { rdns };
}

/** strongSwan's `type:` and `{N}:` prefixes (identification_create_from_string) override the detected type. */
const STRONGSWAN_TYPE_PREFIX = /^(?:ipv4|ipv6|rfc822|email|userfqdn|fqdn|dns|asn1dn|asn1gn|keyid|\{\d+\}):/i;

/** The spellings strongSwan 5.9 reads as ID_ANY ("any ID will be accepted"), plus `%any4`. */
const ANY_ID_SPELLINGS = new Set(["", "%any", "%any4", "%any6", "0.0.0.0", "*", "::", "0::0"]);

/** True for an all-zero address in any spelling (`0.0.0.0`, `::`, `0:0::0`, `::0.0.0.0`, `::ffff:0.0.0.0`). */
export function isUnspecifiedAddress(text: string): boolean {
  if (isStrictIpv4(text)) return text === "0.0.0.0";
  if (!isIpv6(text)) return false;
  const parts = ipaddr.IPv6.parse(text).parts;
  // An IPv4-mapped unspecified address is as degenerate as `::`.
  return parts.every((p) => p === 0) || (parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff && parts[6] === 0 && parts[7] === 0);
}

/**
 * Identities that match more than one peer: strongSwan's "any" spellings, `*` wildcards (FQDN, e-mail and DN RDN
 * values), unspecified addresses, type prefixes, and the namespace reserved for the VPC side's own identity. A
 * secret keyed by such an ID would be tried for other identities, so it could authenticate another branch.
 */
export function wildcardIdProblem(id: string): string | undefined {
  const fix = "set the one identity this branch sends, e.g. branch@example.com or @branch.example.com";
  if (id.trim() === "") return `is blank; ${fix}`;
  if (ANY_ID_SPELLINGS.has(id.trim().toLowerCase())) return `is a wildcard: strongSwan reads it as "any identity", so any peer's key would match it; ${fix}`;
  if (isUnspecifiedAddress(id)) return `is the unspecified address, which matches any peer's address identity; ${fix}`;
  if (id.includes("*")) return `contains *, which strongSwan treats as a wildcard matching other identities; ${fix}`;
  if (STRONGSWAN_TYPE_PREFIX.test(id)) return `starts with a strongSwan type prefix (${id.slice(0, id.indexOf(":") + 1)}), which changes how the ID is read; write the ID alone and set remoteIdType`;
  if (isResponderIdNamespace(id)) return `is in the namespace reserved for the VPC side's own identity (*.${RESPONDER_ID_DOMAIN}); ${fix}`;
  return undefined;
}

/** Problems with an IKE ID for the given (or detected) type; each reads after the field path and value. */
export function ikeIdProblems(id: string, type: IkeIdType): string[] {
  if (id.length === 0) return ["is empty; set the IKE identity the branch router sends (e.g. branch@example.com)"];
  if (id.length > 255) return ["is longer than 255 characters"];
  const wildcard = wildcardIdProblem(id);
  if (wildcard) return [wildcard];
  const unsafe = configUnsafeReason(id, { allowSpaces: type === "dn" });
  if (unsafe) return [`${unsafe}; IKE IDs land in strongSwan files and must stay one token`];
  switch (type) {
    case "ipv4":
      return isStrictIpv4(id) ? [] : ["is not a dotted-quad IPv4 address; write four decimal octets, e.g. 203.0.113.20, or set remoteIdType to the ID's real type"];
    case "ipv6":
      return isIpv6(id) ? [] : ["is not an IPv6 address; write e.g. 2001:db8::20, or set remoteIdType to the ID's real type"];
    case "fqdn": {
      const name = id.startsWith("@") ? id.slice(1) : id;
      if (isStrictIpv4(name) || isIpv6(name)) return ["is an IP address, not a host name; set remoteIdType: ipv4 (or ipv6)"];
      return isFqdn(name) ? [] : ["is not a valid FQDN (labels of letters, digits and hyphens, 1–63 characters each)"];
    }
    case "email": {
      const at = id.lastIndexOf("@");
      const local = id.slice(0, at);
      const domain = id.slice(at + 1);
      if (at <= 0) return ["is not an e-mail style ID (user@domain)"];
      if (!/^[A-Za-z0-9._+-]+$/.test(local)) return ["has a local part with characters outside A–Z a–z 0–9 . _ + -"];
      return isFqdn(domain) ? [] : [`has domain ${JSON.stringify(domain)}, which is not a valid FQDN`];
    }
    case "dn": {
      const parsed = parseDn(id);
      return parsed.problem ? [`is not a valid distinguished name: ${parsed.problem}; write e.g. "C=FR, O=Example, CN=branch"`] : [];
    }
  }
}

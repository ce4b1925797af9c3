/**
 * The IKE identity of a dynamic peer (apache/cloudstack#13512). strongSwan accepts IPv4/IPv6 addresses, FQDNs
 * (optionally `@`-prefixed), RFC 822 emails and distinguished names; anything that would break the generated
 * `rightid=` line or secrets file (quotes, control characters, surrounding blanks) is refused.
 */
import ipaddr from "ipaddr.js";
import { isValidIp4, verifyDomainName } from "./net-utils";

export type RemoteIdType = "ipv4" | "ipv6" | "fqdn" | "email" | "dn";

export function detectRemoteIdType(remoteId: string): RemoteIdType | undefined {
  if (remoteId === "" || remoteId.trim() !== remoteId || /["\u0000-\u001f\u007f]/.test(remoteId)) return undefined;
  if (isValidIp4(remoteId)) return "ipv4";
  if (remoteId.includes(":") && !remoteId.includes("=") && ipaddr.IPv6.isValid(remoteId)) return "ipv6";
  if (/^[^@\s]+@[^@\s]+$/.test(remoteId) && verifyDomainName(remoteId.split("@")[1]!)) return "email";
  if (/^[A-Za-z][A-Za-z0-9.]*=[^=]+/.test(remoteId)) return "dn";
  const fqdn = remoteId.startsWith("@") ? remoteId.slice(1) : remoteId;
  if (/[a-z]/i.test(fqdn) && verifyDomainName(fqdn)) return "fqdn";
  return undefined;
}

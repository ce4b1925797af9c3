import { detectIkeIdType, type IkeIdType } from "../model/ike-id";

/**
 * An IKE ID as one token of ipsec.conf / ipsec.secrets. strongSwan reads `@name` as an FQDN (never resolved),
 * `user@domain` as RFC 822, addresses as addresses, and a DN must be quoted because it holds spaces and commas.
 */
export function strokeIkeId(id: string, type: IkeIdType = detectIkeIdType(id)): string {
  switch (type) {
    case "fqdn":
      return id.startsWith("@") ? id : `@${id}`;
    case "dn":
      return `"${id}"`;
    default:
      return id;
  }
}

/** An IKE ID as a swanctl.conf value (always quoted: commas and spaces in DNs would otherwise split it). */
export function swanctlIkeId(id: string, type: IkeIdType = detectIkeIdType(id)): string {
  return `"${type === "fqdn" && !id.startsWith("@") ? `@${id}` : id}"`;
}

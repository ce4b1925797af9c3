/**
 * The VPC side's IKE identity for connections that terminate dynamic peers.
 *
 * strongSwan tries every shared key whose selectors match *either* the local or the remote identity of a lookup.
 * CloudStack writes its own secrets keyed by the router's public address (`<router IP> <peer IP> : PSK` for static
 * peers, `<router IP> : PSK` for remote-access VPN), so a dynamic connection whose local identity were that address
 * would accept any of those keys for any branch identity. Dynamic connections therefore present an FQDN identity
 * that no address-keyed line can match, and branch configurations name it as the VPC side's ID.
 *
 * Under the reserved `.invalid` top-level domain (RFC 2606): it is never resolved and cannot belong to anyone.
 */
export const RESPONDER_ID_DOMAIN = "s2s.invalid";

/** `203.0.113.5` → `vpn-203-0-113-5.s2s.invalid` (an FQDN-type IKE ID, written without the `@`). */
export function dynamicResponderId(publicIp: string): string {
  const label = publicIp.toLowerCase().replace(/[.:]/g, "-");
  return `vpn-${label}.${RESPONDER_ID_DOMAIN}`;
}

/** True for IDs in the namespace reserved for the VPC side: a branch must never claim one. */
export function isResponderIdNamespace(id: string): boolean {
  const name = (id.startsWith("@") ? id.slice(1) : id).toLowerCase();
  return name === RESPONDER_ID_DOMAIN || name.endsWith(`.${RESPONDER_ID_DOMAIN}`) || name.endsWith(`@${RESPONDER_ID_DOMAIN}`);
}

import type { SiteSpec } from "../model/site";

/** The key to render: the site's literal one, or the resolved `{ env }` reference passed by the caller. */
export function pskFor(site: SiteSpec, psk: string | undefined): string {
  if (psk !== undefined) return psk;
  const ref = site.customerGateway.ipsecPsk;
  if (typeof ref === "string") return ref;
  throw new Error(`site ${site.name}: \`customerGateway.ipsecPsk\` refers to ${ref.env}; resolve it (resolveSitePsk) and pass it as \`psk\``);
}

export function publicIpOf(site: SiteSpec): string {
  const ip = site.vpnGateway.publicIp;
  if (!ip) throw new Error(`site ${site.name}: \`vpnGateway.publicIp\` is required to render configs; set it to the VPN gateway's public IPv4 address`);
  return ip;
}

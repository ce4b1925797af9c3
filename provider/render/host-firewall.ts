import { isStrictIpv4 } from "../model/net";
import type { SiteSpec } from "../model/site";
import { publicIpOf } from "./site-psk";
import type { FirewallRule } from "./types";
import { ikeInputRules } from "./vr-firewall";

/**
 * IKE/NAT-T/ESP accepts for a standalone gateway: from each allowed source CIDR (dynamic peer) or from the peer's
 * address (static peer with an IP; a host-name peer needs a rule the operator writes, since the name may move).
 * The allow-list is per source address, not per IKE ID: every dynamic peer's ranges open the port for all of them.
 */
export function hostIkeInputRules(site: SiteSpec): FirewallRule[] {
  const peer = site.customerGateway.peer;
  const dev = site.vpnGateway.publicInterface;
  const sources = peer.type === "dynamic" ? peer.allowedSourceCidrs : isStrictIpv4(peer.gateway) ? [peer.gateway] : [];
  return sources.flatMap((source) => ikeInputRules(dev, source, publicIpOf(site)));
}

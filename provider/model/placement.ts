import { MAX_CONNECTIONS_PER_VPN_GATEWAY } from "./defaults";
import { makeIssue, type Issue } from "./issues";
import * as ipaddr from "ipaddr.js";
import { cidrsOverlap, isIpv6, parseIpv4Cidr } from "./net";
import type { SiteSpec } from "./site";

export interface PlacedSite {
  /** Where the site came from (a file name), prefixed to every path. */
  source: string;
  site: SiteSpec;
}

/** Sites that attach to the same VPN gateway: same VPC id, else same public IP, else same VPC CIDR. */
export function gatewayKey(site: SiteSpec): string {
  const gw = site.vpnGateway;
  return gw.vpcId ? `vpc ${gw.vpcId}` : gw.publicIp ? `gateway ${gw.publicIp}` : `VPC ${gw.vpcCidr}`;
}

/**
 * The form two peers are compared in. strongSwan compares FQDN and e-mail IDs case-insensitively, DNS names are
 * case-insensitive, and one IPv6 address has many spellings (`2001:db8::1`, `2001:0DB8:0::1`).
 */
function comparable(text: string, kind: "id" | "gateway", idType?: string): string {
  if (isIpv6(text)) return ipaddr.IPv6.parse(text).toNormalizedString();
  if (kind === "gateway" || idType === "fqdn" || idType === "email") return text.toLowerCase().replace(/\.$/, "");
  return text;
}

/**
 * CloudStack's rules across the connections of one VPN gateway (contract §2.4), checked before any API call,
 * plus two that keep the router's files apart: one static peer per address (the VR keys its data bag and files by
 * it) and one dynamic peer per IKE ID (the ID is what tells them apart).
 */
export function checkGatewayPlacement(sites: readonly PlacedSite[]): Issue[] {
  const issues: Issue[] = [];
  const at = (p: PlacedSite, path: string) => `${p.source}: ${path}`;
  const names = new Map<string, PlacedSite>();
  for (const p of sites) {
    const other = names.get(p.site.name);
    if (other) issues.push(makeIssue(at(p, "name"), "duplicate-site", `${JSON.stringify(p.site.name)} is also the name of the site in ${other.source}; site names must be unique`));
    else names.set(p.site.name, p);
  }
  const groups = new Map<string, PlacedSite[]>();
  for (const p of sites) groups.set(gatewayKey(p.site), [...(groups.get(gatewayKey(p.site)) ?? []), p]);
  for (const [key, group] of groups) {
    if (group.length > MAX_CONNECTIONS_PER_VPN_GATEWAY) {
      issues.push(makeIssue(at(group[MAX_CONNECTIONS_PER_VPN_GATEWAY]!, "vpnGateway"), "too-many-connections", `is the ${group.length}th site on ${key}; CloudStack allows ${MAX_CONNECTIONS_PER_VPN_GATEWAY} connections per VPN gateway`));
    }
    group.forEach((b, j) => {
      for (const a of group.slice(0, j)) {
        const pa = a.site.customerGateway.peer;
        const pb = b.site.customerGateway.peer;
        if (pa.type === "dynamic" && pb.type === "dynamic" && comparable(pa.remoteId, "id", pa.remoteIdType) === comparable(pb.remoteId, "id", pb.remoteIdType)) {
          issues.push(makeIssue(at(b, "customerGateway.peer.remoteId"), "duplicate-remote-id", `${JSON.stringify(pb.remoteId)} is also the ID of ${a.source} on ${key}; each dynamic peer needs its own IKE ID`));
        }
        for (const [dyn, stat] of [[b, a], [a, b]] as const) {
          const pd = dyn.site.customerGateway.peer;
          const ps = stat.site.customerGateway.peer;
          if (pd.type === "dynamic" && ps.type === "static" && (pd.remoteIdType === "ipv4" || pd.remoteIdType === "ipv6") && comparable(pd.remoteId, "id") === comparable(ps.gateway, "gateway")) {
            issues.push(makeIssue(at(dyn, "customerGateway.peer.remoteId"), "remote-id-is-static-peer", `${JSON.stringify(pd.remoteId)} is the address of the static peer in ${stat.source} on ${key}; the router's secret for that peer is keyed by this address, so its key would also authenticate this ID. Give the branch another ID (e.g. an e-mail or FQDN ID)`));
          }
        }
        if (pa.type === "static" && pb.type === "static" && comparable(pa.gateway, "gateway") === comparable(pb.gateway, "gateway")) {
          issues.push(makeIssue(at(b, "customerGateway.peer.gateway"), "duplicate-gateway", `${JSON.stringify(pb.gateway)} is also the peer of ${a.source} on ${key}; the router keys its config by peer address, so the two would overwrite each other`));
        }
        b.site.customerGateway.cidrList.forEach((tb, ib) => {
          const cb = parseIpv4Cidr(tb);
          for (const ta of a.site.customerGateway.cidrList) {
            const ca = parseIpv4Cidr(ta);
            if (typeof ca !== "string" && typeof cb !== "string" && cidrsOverlap(ca, cb)) {
              issues.push(makeIssue(at(b, `customerGateway.cidrList[${ib}]`), "overlapping-connections", `${JSON.stringify(tb)} overlaps ${JSON.stringify(ta)} of ${a.source} on ${key}; connections on one VPN gateway must not overlap`));
            }
          }
        });
      }
    });
  }
  return issues;
}

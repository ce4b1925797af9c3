/**
 * The default virtual router: no network, no strongSwan. It keeps what a VR keeps — the merged `site2sitevpn`
 * data bag, one entry per peer key (contract §4.2) — and answers the status check from it: a configured peer
 * counts as ESTABLISHED unless a test has cut its link with `setConnected(vpcId, peer, false)`.
 */
import type { Site2SiteVpnDataBag } from "../model/databag";
import type { RouterLifecycle, VirtualRouter } from "./types";

/** The data-bag key: `peer_gateway_ip`, or `peer_id` for a dynamic peer. */
export function dataBagKey(bag: Site2SiteVpnDataBag): string {
  return bag.dynamic_peer ? (bag.peer_id ?? "") : (bag.peer_gateway_ip ?? "");
}

export class InMemoryRouter implements VirtualRouter {
  /** No router life by default (listRouters is empty); a test may model one (e.g. a router id that changes). */
  lifecycle?: RouterLifecycle;
  private readonly received = new Map<string, Site2SiteVpnDataBag[]>();
  private readonly merged = new Map<string, Map<string, Site2SiteVpnDataBag>>();
  private readonly links = new Map<string, Map<string, boolean>>();
  private readonly failing = new Set<string>();

  async applySite2SiteVpn(vpcId: string, bag: Site2SiteVpnDataBag): Promise<void> {
    if (this.failing.has(vpcId)) throw new Error(`in-memory router of VPC ${vpcId} is set to fail`);
    const copy = structuredClone(bag);
    this.received.set(vpcId, [...(this.received.get(vpcId) ?? []), copy]);
    const entries = this.merged.get(vpcId) ?? new Map<string, Site2SiteVpnDataBag>();
    if (bag.create) entries.set(dataBagKey(bag), copy);
    else entries.delete(dataBagKey(bag));
    this.merged.set(vpcId, entries);
  }

  async checkConnections(vpcId: string, peers: string[]): Promise<Record<string, boolean>> {
    const entries = this.merged.get(vpcId);
    const links = this.links.get(vpcId);
    const report: Record<string, boolean> = {};
    for (const peer of peers) report[peer] = (entries?.has(peer) ?? false) && (links?.get(peer) ?? true);
    return report;
  }

  /** Simulates the tunnel to `peer` coming up (true, the default) or going down (false). */
  setConnected(vpcId: string, peer: string, connected: boolean): void {
    const links = this.links.get(vpcId) ?? new Map<string, boolean>();
    links.set(peer, connected);
    this.links.set(vpcId, links);
  }

  /** Makes every later data-bag delivery to this VPC's router fail (a router that is down). */
  setFailing(vpcId: string, failing: boolean): void {
    if (failing) this.failing.add(vpcId);
    else this.failing.delete(vpcId);
  }

  /** Every bag delivered to this VPC's router, oldest first (copies). */
  bagsFor(vpcId: string): Site2SiteVpnDataBag[] {
    return structuredClone(this.received.get(vpcId) ?? []);
  }

  /** The merged data bag as the router holds it now, keyed by peer. */
  configuredPeers(vpcId: string): string[] {
    return [...(this.merged.get(vpcId)?.keys() ?? [])];
  }
}

/**
 * push / unpush / reconcile of one site file's VPN, below every front end (the CLI, the CDKTF provisioners):
 * - static peers, and dynamic peers on a CloudStack with the dynamic-peer API (found by `listApis`, as the Pulumi
 *   resources do): the CloudStack objects (VPN gateway, customer gateway, connection);
 * - dynamic peers on stock CloudStack: the VPC's VPN gateway in CloudStack, the peer pushed to its router.
 * Each converges: a re-run changes nothing, and says so.
 */
import { findVpnGatewayByVpc, getVpc, supportsDynamicPeer, type CloudStackClient } from "../cloudstack";
import type { RouterSet } from "../push/routers";
import type { CustomerGatewaySpec } from "../model/customer-gateway";
import type { SiteSpec } from "../model/site";
import { parseStateFile, STATE_PATH, type DriftReport, type PushState } from "../push";
import { lookupOrGone } from "./cloudstack-objects";
import { ensureSiteObjects, ensureVpnGateway, removeSiteObjects } from "./cloudstack-site";
import { accessRequired, DeployError, publicIpMismatch, vpcIdRequired } from "./errors";
import { gatewayDrift, peerDriftLines, peerName, pushGatewayPeer, recordMatches, removeGatewayPeer, type GatewayPeer, type GatewaySession } from "./gateway-site";

export interface DeployContext {
  client: CloudStackClient;
  /** The router's SSH session; only needed for dynamic peers on a CloudStack without the dynamic-peer API. */
  gateway?: GatewaySession;
}

export type DeployPath = "cloudstack" | "gateway";

export interface SiteOutcome {
  site: string;
  path: DeployPath;
  /** Something was created, updated, pushed or removed. */
  changed: boolean;
  /** One line per change (or, when nothing changed, why). Never a secret. */
  actions: string[];
  warnings: string[];
}

function vpcIdOf(site: SiteSpec): string {
  if (!site.vpnGateway.vpcId) throw new DeployError(vpcIdRequired(site.name));
  return site.vpnGateway.vpcId;
}

/** Which path the site takes on this CloudStack (the probe is cached on the client). */
export async function deployPath(client: CloudStackClient, site: SiteSpec): Promise<DeployPath> {
  return site.customerGateway.peer.type === "static" || (await supportsDynamicPeer(client)) ? "cloudstack" : "gateway";
}

function specOf(site: SiteSpec, psk: string): CustomerGatewaySpec {
  return { ...site.customerGateway, ipsecPsk: psk } as CustomerGatewaySpec;
}

function sessionFor(ctx: DeployContext, site: SiteSpec): GatewaySession {
  if (!ctx.gateway) {
    const peer = site.customerGateway.peer;
    throw new DeployError(accessRequired(site.name, peer.type === "dynamic" ? peer.remoteId : ""));
  }
  return ctx.gateway;
}

function gatewayPeer(ctx: DeployContext, site: SiteSpec, publicIp: string | undefined): GatewayPeer {
  const declared = site.vpnGateway.publicIp;
  if (!publicIp) throw new DeployError(`site ${site.name}: the VPC's VPN gateway reports no public IP in CloudStack; check the VPC's source-NAT address`);
  if (declared && declared !== publicIp) throw new DeployError(publicIpMismatch(site.name, declared, publicIp));
  return { site, publicIp, publicInterface: sessionFor(ctx, site).access.publicInterface ?? site.vpnGateway.publicInterface };
}

/** Creates or updates the site's VPN. */
export async function pushSite(ctx: DeployContext, site: SiteSpec, psk: string): Promise<SiteOutcome> {
  const vpcId = vpcIdOf(site);
  const path = await deployPath(ctx.client, site);
  if (path === "cloudstack") {
    const { actions } = await ensureSiteObjects(ctx.client, { vpcId, spec: specOf(site, psk), passive: site.connection.passive, ...(site.connection.forDisplay !== undefined ? { forDisplay: site.connection.forDisplay } : {}) });
    return { site: site.name, path, changed: actions.length > 0, actions, warnings: [] };
  }
  const actions: string[] = [];
  const vgw = await ensureVpnGateway(ctx.client, vpcId, actions);
  const peer = gatewayPeer(ctx, site, vgw.publicip);
  const session = sessionFor(ctx, site);
  const set = await session.routers(ctx.client, vpcId);
  const result = await pushGatewayPeer(set, peer, psk);
  if (result.changed) actions.push(`pushed dynamic peer ${peerName(peer)} to ${targetsOf(set)} (${Math.round(result.durationMs)} ms)`);
  return { site: site.name, path, changed: actions.length > 0, actions, warnings: [...result.warnings, ...set.unreachableLines()] };
}

/** Removes the site's VPN; nothing there (or the VPC / its VPN gateway gone from CloudStack) is success. */
export async function unpushSite(ctx: DeployContext, site: SiteSpec): Promise<SiteOutcome> {
  const vpcId = vpcIdOf(site);
  const path = await deployPath(ctx.client, site);
  const done = (actions: string[], why: string): SiteOutcome => ({ site: site.name, path, changed: actions.length > 0, actions: actions.length > 0 ? actions : [why], warnings: [] });
  if (!(await lookupOrGone(() => getVpc(ctx.client, vpcId)))) return done([], `nothing to remove: CloudStack no longer has VPC ${vpcId}`);
  if (path === "cloudstack") return done(await removeSiteObjects(ctx.client, vpcId, site.customerGateway), `nothing to remove: no customer gateway named ${site.customerGateway.name}`);
  const vgw = await findVpnGatewayByVpc(ctx.client, vpcId);
  if (!vgw) return done([], `nothing to remove: VPC ${vpcId} has no VPN gateway in CloudStack (its router holds no pushed peer of it)`);
  const peer = gatewayPeer(ctx, site, vgw.publicip);
  const set = await sessionFor(ctx, site).routers(ctx.client, vpcId);
  const removed = await removeGatewayPeer(set, peer);
  return done(removed ? [`removed dynamic peer ${peerName(peer)} from ${targetsOf(set)}`] : [], `nothing to remove: ${targetsOf(set)} ${set.pair ? "do" : "does"} not hold ${peerName(peer)}`);
}

/** `router r-4-VM (root@…)` as CloudStack names it, else `the router root@…`; both routers of a pair. */
const targetsOf = (set: RouterSet): string => set.sessions.map((s) => (s.label ? s.name : `the router ${s.name}`)).join(" and ");

interface RouterDrift {
  name: string;
  record?: PushState;
  report?: DriftReport;
  listed: Set<string>;
}

/** The routers' drift reports, read once per run and again after each repair: they decide and explain repairs. */
export class DriftCache {
  #report: Promise<{ routers: RouterDrift[]; set: RouterSet }> | undefined;
  get(session: GatewaySession, client: CloudStackClient, vpcId: string) {
    this.#report ??= (async () => {
      const set = await session.routers(client, vpcId);
      const routers: RouterDrift[] = [];
      for (const s of set.sessions) {
        if (!s.host) continue;
        const record = parseStateFile(await s.host.readFile(STATE_PATH));
        routers.push({ name: s.name, ...(record ? { record, report: await gatewayDrift(s.host) } : {}), listed: new Set(record?.peers.map((p) => p.connection) ?? []) });
      }
      return { routers, set };
    })();
    return this.#report;
  }
  /** After a repair: the next site reads the router again (a push rebuilds the chains every peer shares). */
  invalidate(): void {
    this.#report = undefined;
  }
}

/**
 * Brings the site back to what its file says: missing or drifted objects are re-created, a router that lost the
 * push's files, connections or firewall rules gets the peer pushed again. `changed: false` means it was in sync.
 */
export async function reconcileSite(ctx: DeployContext, site: SiteSpec, psk: string, drift: DriftCache = new DriftCache()): Promise<SiteOutcome> {
  if ((await deployPath(ctx.client, site)) === "cloudstack") return pushSite(ctx, site, psk);
  const { routers, set } = await drift.get(sessionFor(ctx, site), ctx.client, vpcIdOf(site));
  const vgw = await findVpnGatewayByVpc(ctx.client, vpcIdOf(site));
  const peer = vgw ? gatewayPeer(ctx, site, vgw.publicip) : undefined;
  const name = peer ? peerName(peer) : "";
  const found = peer ? set.driftLines(routers.map((r) => ({ name: r.name, lines: peerDriftLines(r.report, name, r.listed.has(name)) }))) : [];
  // The run's one read of the router(s) shows this peer exactly as the site renders it: nothing to push (the common
  // cron case, without a lock and a snapshot per site).
  if (peer && found.length === 0 && routers.every((r) => r.record && recordMatches(r.record, peer, psk))) return { site: site.name, path: "gateway", changed: false, actions: [], warnings: [] };
  const outcome = await pushSite(ctx, site, psk);
  if (!outcome.changed) return outcome;
  drift.invalidate();
  return { ...outcome, actions: [...outcome.actions, ...(found.length > 0 ? found.map((l) => `  drift: ${l}`) : ["  drift: the router's record differs from the site file (settings or key changed)"])] };
}

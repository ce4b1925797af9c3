/**
 * A dynamic peer on a CloudStack without the dynamic-peer API lives on the VPC's router: pushed there over SSH with
 * `pushPeer` (one peer per transaction; the other peers stay as the router's own record has them). One SSH session
 * per CLI run, opened on first use, so `reconcile` over many sites pays for one handshake.
 */
import type { Site2SiteVpnDataBag } from "../model/databag";
import type { SshAccessSpec } from "../model/gateway-access";
import { sshTarget } from "../model/gateway-access";
import { siteToDataBag, type SiteSpec } from "../model/site";
import { listRouters, type CloudStackClient } from "../cloudstack";
import { inspect, parseStateFile, pushPeerToRouters, routerCoverageProblem, STATE_PATH, type DriftReport, type GatewayHost, type PushResult, type PushState } from "../push";
import { RouterSet, type CloudRouter } from "../push/routers";
import { DeployError } from "./errors";
import { ofBase } from "../push/gateway-state";
import { renderPeerBag } from "../push/plan";
import { removeEmptyPushState } from "../push/teardown";
import { dynamicConnectionName } from "../render/names";

export interface GatewayAccess {
  ssh: SshAccessSpec;
  publicInterface?: string;
}

/**
 * The SSH sessions to the VPC's router(s), opened on first use and closed by the caller at the end of the run. The
 * VPC's routers come from listRouters first: a redundant pair reached through one router only is refused.
 */
export class GatewaySession {
  #set: Promise<RouterSet> | undefined;
  constructor(readonly access: GatewayAccess) {}

  get target(): string {
    return sshTarget(this.access.ssh);
  }

  routers(client: CloudStackClient, vpcId: string): Promise<RouterSet> {
    this.#set ??= (async () => {
      // listRouters is an admin command: without it the routers are unknown and the access spec is taken as given.
      const routers: CloudRouter[] | undefined = await listRouters(client, { vpcId }).then((r) => (r.length > 0 ? r : undefined), () => undefined);
      const problem = routerCoverageProblem(this.access.ssh, routers);
      if (problem) throw new DeployError(`gateway access ssh.secondRouter: ${problem}; nothing was pushed`);
      return RouterSet.open(this.access.ssh, routers);
    })();
    return this.#set;
  }

  async close(): Promise<void> {
    const pending = this.#set;
    this.#set = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close();
  }
}

/**
 * Removal needs no key: the router's record describes the peer, and its secrets file is deleted, never written.
 * The bag builder wants a string, and this one can never reach the router.
 */
const REMOVAL_NEEDS_NO_PSK = "";

export interface GatewayPeer {
  site: SiteSpec;
  publicIp: string;
  publicInterface: string;
}

export function peerBag(peer: GatewayPeer, create: boolean, psk: string = REMOVAL_NEEDS_NO_PSK): Site2SiteVpnDataBag {
  return siteToDataBag(peer.site, { create, psk, publicIp: peer.publicIp });
}

/** The peer's base name on the router (its files; its loaded connections add a generation). */
export function peerName(peer: GatewayPeer): string {
  return dynamicConnectionName(peerBag(peer, false).peer_id ?? "");
}

/** The peer pushed to every router of the set (both routers of a redundant pair, or neither). */
export async function pushGatewayPeer(set: RouterSet, peer: GatewayPeer, psk: string): Promise<PushResult & { routers: number }> {
  const results = await pushPeerToRouters(set.targets(), { publicInterface: peer.publicInterface, publicIp: peer.publicIp, bag: peerBag(peer, true, psk) }, { pair: set.pair });
  return { ...results[0]!, changed: results.some((r) => r.changed), durationMs: Math.max(...results.map((r) => r.durationMs)), warnings: [...new Set(results.flatMap((r) => r.warnings))], routers: results.length };
}

/**
 * Removes the peer when a router's record lists it; false when there was nothing to remove. The last peer takes
 * the push's record and own chains with it (also when an earlier run removed the peer but not those). Never partial:
 * a peer left on a router that could not be reached would still be trusted there.
 */
export async function removeGatewayPeer(set: RouterSet, peer: GatewayPeer): Promise<boolean> {
  if (set.unreachableLines().length > 0) throw new DeployError(`cannot remove ${peerName(peer)}: ${set.unreachableLines().join("; ")}; removal goes to every router of the pair or none`);
  const records = await Promise.all(set.targets().map(async (t) => ({ host: t.host, record: parseStateFile(await t.host.readFile(STATE_PATH)) })));
  const listed = records.some((r) => r.record?.peers.some((p) => p.connection === peerName(peer)));
  if (listed) await pushPeerToRouters(set.targets(), { publicInterface: peer.publicInterface, publicIp: peer.publicIp, bag: peerBag(peer, false) }, { pair: set.pair });
  for (const r of records) if (r.record) await removeEmptyPushState(r.host);
  return listed;
}

/** Canonical JSON (sorted keys, no undefined): the record went through JSON, the desired bag did not. */
function canonical(value: unknown): string {
  const walk = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(walk) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, walk(x)])) : v;
  return JSON.stringify(walk(value));
}

/**
 * The router's record already holds exactly this peer as the site renders it (same settings, same key by its
 * scrypt digest, same gateway address): with no drift in the router's report, a push would change nothing.
 */
export function recordMatches(record: PushState, peer: GatewayPeer, psk: string): boolean {
  if (record.gateway.publicIp !== peer.publicIp || record.gateway.publicInterface !== peer.publicInterface) return false;
  const bag = peerBag(peer, true, psk);
  const prior = record.peers.find((p) => p.connection === dynamicConnectionName(bag.peer_id ?? ""));
  if (!prior) return false;
  const desired = renderPeerBag(bag, prior, peer.publicInterface, "site").record;
  return desired.secretsDigest === prior.secretsDigest && canonical(desired.bag) === canonical(prior.bag);
}

/** The router compared with its own record (undefined when nothing was ever pushed there). */
export async function gatewayDrift(host: GatewayHost): Promise<DriftReport | undefined> {
  const record = parseStateFile(await host.readFile(STATE_PATH));
  return record ? inspect(host, record) : undefined;
}

/** What a drift report says about one peer: its files and connections, plus the shared firewall chains. */
export function peerDriftLines(report: DriftReport | undefined, name: string, listed: boolean): string[] {
  if (!listed) return [`${name}: not on the router (its record ${STATE_PATH} does not list it)`];
  if (!report) return [];
  const base = (path: string) => path.slice(path.lastIndexOf("/") + 1).replace(/\.(conf|secrets)$/, "");
  return [
    ...report.files.filter((f) => ofBase(base(f.path), name)).map((f) => `${f.path}: ${f.problem}`),
    ...report.connections.filter((line) => line.includes(name)),
    ...report.firewall.map((line) => `firewall: ${line}`),
  ];
}

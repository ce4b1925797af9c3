/**
 * The push path of a VpnConnection: a dynamic peer on a CloudStack without the dynamic-peer API is terminated on
 * the gateway itself. One SSH session per provider call; `pushPeer` upserts or removes this one peer (other peers
 * stay as the gateway's record has them), and the live status comes from `inspect()` against that record.
 */
import { buildSite2SiteVpnDataBag, type Site2SiteVpnDataBag } from "../../model/databag";
import { inspect, parseStateFile, pushPeer, pushPeerToRouters, STATE_PATH, type GatewayHost, type PushState, type RouterSet } from "../../push";
import { withGateway } from "../../push/session";
import { withRouters } from "../../push/routers";
import { ofBase } from "../../push/gateway-state";
import { dynamicConnectionName } from "../../render/names";
import { storedCustomerGateway } from "../../model/customer-gateway";
import type { PublicSpec } from "./customer-gateway-spec";
import type { SshAccessSpec } from "../../model/gateway-access";

export interface GatewayInfo {
  publicIp: string;
  vpcCidr: string;
  publicInterface: string;
}

/** Everything a push needs, as the connection's inputs (or, for delete, its outputs) carry it. */
export interface PushTarget {
  gateway: GatewayInfo;
  ssh: SshAccessSpec;
  spec: PublicSpec;
  psk: string;
  passive: boolean;
}

export interface PeerStatus {
  /** The gateway's record lists this peer. */
  present: boolean;
  /** Own files and loaded connection of this peer are as recorded. */
  inSync: boolean;
  /** One line per difference (paths and connection names only; never file contents). */
  drift: string[];
  established: boolean;
  peerAddress?: string;
  bytesIn: number;
  bytesOut: number;
}

export function bagFor(target: PushTarget, create: boolean): Site2SiteVpnDataBag {
  return buildSite2SiteVpnDataBag({ publicIp: target.gateway.publicIp, vpcCidr: target.gateway.vpcCidr }, storedCustomerGateway(target.spec, target.psk), { create, passive: target.passive });
}

export { withGateway, withRouters };

export async function pushConnection(host: GatewayHost, target: PushTarget, create: boolean): Promise<{ state: PushState; changed: boolean }> {
  const bag = bagFor(target, create);
  const result = await pushPeer(host, { publicInterface: target.gateway.publicInterface, publicIp: target.gateway.publicIp, bag });
  return { state: result.state, changed: result.changed };
}

/** The peer upserted (`create`) or removed on every router of the set, both or neither (see push/routers.ts). */
export async function pushConnectionToRouters(set: RouterSet, target: PushTarget, create: boolean): Promise<{ state: PushState; changed: boolean }> {
  const bag = bagFor(target, create);
  const results = await pushPeerToRouters(set.targets(), { publicInterface: target.gateway.publicInterface, publicIp: target.gateway.publicIp, bag }, { pair: set.pair });
  return { state: results[0]!.state, changed: results.some((r) => r.changed) };
}

/**
 * The peer's status across the routers of the set: established on any (the PRIMARY carries the tunnel), in sync
 * only when every router holds it as recorded and none was left out; drift lines name the router of a pair.
 */
export async function peerStatusOnRouters(set: RouterSet, remoteId: string): Promise<PeerStatus> {
  const per: { name: string; status: PeerStatus }[] = [];
  for (const s of set.sessions) if (s.host) per.push({ name: s.name, status: await peerStatus(s.host, remoteId) });
  const drift = set.driftLines(per.map((p) => ({ name: p.name, lines: p.status.drift })));
  const live = per.find((p) => p.status.established) ?? per[0];
  return {
    present: per.length > 0 && per.every((p) => p.status.present),
    inSync: drift.length === 0,
    drift,
    established: per.some((p) => p.status.established),
    ...(live?.status.peerAddress ? { peerAddress: live.status.peerAddress } : {}),
    bytesIn: per.reduce((n, p) => n + p.status.bytesIn, 0),
    bytesOut: per.reduce((n, p) => n + p.status.bytesOut, 0),
  };
}

const baseOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1).replace(/\.(conf|secrets)$/, "");

/** This peer's part of `inspect()` against the gateway's own record (so other peers' pushes never look like drift). */
export async function peerStatus(host: GatewayHost, remoteId: string): Promise<PeerStatus> {
  const name = dynamicConnectionName(remoteId);
  const record = parseStateFile(await host.readFile(STATE_PATH));
  if (!record || !record.peers.some((p) => p.connection === name)) {
    return { present: false, inSync: false, drift: [`${name}: not on the gateway (its record ${STATE_PATH} does not list it)`], established: false, bytesIn: 0, bytesOut: 0 };
  }
  const report = await inspect(host, record);
  const drift = [
    ...report.files.filter((f) => ofBase(baseOf(f.path), name)).map((f) => `${f.path}: ${f.problem}${f.found ? ` (${f.found})` : ""}`),
    ...report.connections.filter((line) => line.includes(name)),
    // The gateway's self-healing (s2s-heal) serves every peer: missing or stopped, the next `up` restores it.
    ...report.heal.problems,
  ];
  const sas = report.sas.filter((s) => ofBase(s.connection, name));
  const peerAddress = sas.find((s) => s.peerAddress)?.peerAddress;
  return {
    present: true,
    inSync: drift.length === 0,
    drift,
    established: sas.some((s) => s.established),
    ...(peerAddress ? { peerAddress } : {}),
    bytesIn: sas.reduce((n, s) => n + s.bytesIn, 0),
    bytesOut: sas.reduce((n, s) => n + s.bytesOut, 0),
  };
}

export function gatewayConnectionName(spec: PublicSpec): string {
  return spec.peer.type === "dynamic" ? dynamicConnectionName(spec.peer.remoteId) : "";
}

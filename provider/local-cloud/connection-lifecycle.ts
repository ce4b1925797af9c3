/**
 * Starting and stopping connections on the virtual router, and the router status check — the parts of
 * `Site2SiteVpnManagerImpl` and `VirtualNetworkApplianceManagerImpl` that talk to the VR (contract §2.4–§2.6,
 * §2.10, §2.11). A data bag goes to the router exactly when CloudStack would send a `Site2SiteVpnCfgCommand`.
 */
import { buildSite2SiteVpnDataBag, type Site2SiteVpnDataBag } from "../model/databag";
import * as texts from "./error-texts";
import { invalidParameterValue, resourceUnavailable } from "./errors";
import type { Connection, ConnectionState, CustomerGateway } from "./state";
import type { VirtualRouter } from "./types";
import { detectRemoteIdType } from "./validation/remote-id";
import type { World } from "./world";

export interface RouterEnv {
  world: World;
  router: VirtualRouter;
}

/** The key `checkbatchs2svpn.sh` reports a peer under: its address, or its IKE identity for a dynamic peer. */
export function peerKeyOf(gw: CustomerGateway): string {
  return gw.dynamicPeer ? (gw.remoteId ?? "") : (gw.gateway ?? "");
}

function partsOf(world: World, conn: Connection) {
  const vgw = world.state.vpnGateways.find((g) => g.id === conn.vpnGatewayId)!;
  const cgw = world.state.customerGateways.find((g) => g.id === conn.customerGatewayId)!;
  const vpc = world.state.vpcs.find((v) => v.id === vgw.vpcId)!;
  const ip = world.state.publicIps.find((p) => p.id === vgw.publicIpId)!;
  return { vgw, cgw, vpc, ip };
}

export function dataBagFor(world: World, conn: Connection, create: boolean): { vpcUuid: string; bag: Site2SiteVpnDataBag } {
  const { cgw, vpc, ip } = partsOf(world, conn);
  const remoteIdType = cgw.dynamicPeer && cgw.remoteId !== undefined ? detectRemoteIdType(cgw.remoteId) : undefined;
  const bag = buildSite2SiteVpnDataBag(
    { publicIp: ip.address, vpcCidr: vpc.cidr, publicGateway: ip.vlanGateway },
    {
      ...(cgw.gateway !== undefined ? { gateway: cgw.gateway } : {}),
      cidrList: cgw.cidrList,
      ipsecPsk: cgw.ipsecPsk,
      ikePolicy: cgw.ikePolicy,
      espPolicy: cgw.espPolicy,
      ikeLifetime: cgw.ikeLifetime,
      espLifetime: cgw.espLifetime,
      dpd: cgw.dpd,
      forceEncap: cgw.forceEncap,
      splitConnections: cgw.splitConnections,
      ikeVersion: cgw.ikeVersion,
      ...(cgw.dynamicPeer ? { dynamicPeer: true } : {}),
      ...(cgw.remoteId !== undefined ? { remoteId: cgw.remoteId } : {}),
      ...(remoteIdType !== undefined ? { remoteIdType } : {}),
      ...(cgw.sourceCidrList !== undefined ? { sourceCidrList: cgw.sourceCidrList } : {}),
    },
    { create, passive: conn.passive },
  );
  return { vpcUuid: vpc.uuid, bag };
}

function setState(world: World, conn: Connection, state: ConnectionState): void {
  conn.state = state;
  world.persist();
}

async function send(env: RouterEnv, conn: Connection, create: boolean): Promise<void> {
  const { vpcUuid, bag } = dataBagFor(env.world, conn, create);
  try {
    await env.router.applySite2SiteVpn(vpcUuid, bag);
  } catch {
    // The router's own error stays in the router's logs; CloudStack reports only the generic text.
    setState(env.world, conn, "Error");
    throw resourceUnavailable("Site2SiteVpnConnection", conn.id, texts.FAILED_TO_APPLY);
  }
}

/** `startVpnConnection` (main): Pending/Disconnected → Connecting, or Disconnected when passive. */
export async function startConnection(env: RouterEnv, conn: Connection): Promise<void> {
  if (conn.state !== "Pending" && conn.state !== "Disconnected") throw invalidParameterValue(texts.wrongStateToStart());
  setState(env.world, conn, "Pending");
  await send(env, conn, true);
  setState(env.world, conn, conn.passive ? "Disconnected" : "Connecting");
}

/** `stopVpnConnection`: anything but Pending → Disconnected, and the router drops the peer. */
export async function stopConnection(env: RouterEnv, conn: Connection): Promise<void> {
  if (conn.state === "Pending") throw invalidParameterValue(texts.pendingCannotStop());
  setState(env.world, conn, "Disconnected");
  await send(env, conn, false);
}

const CHECKED_STATES: ReadonlySet<ConnectionState> = new Set(["Connected", "Disconnected", "Connecting"]);

/** One run of the router-check task: Connected/Disconnected from what the router reports; unreported = unchanged. */
export async function runStatusCheck(env: RouterEnv): Promise<void> {
  const byVpc = new Map<string, Connection[]>();
  for (const conn of env.world.all("connections")) {
    if (!CHECKED_STATES.has(conn.state)) continue;
    const vpcUuid = partsOf(env.world, conn).vpc.uuid;
    byVpc.set(vpcUuid, [...(byVpc.get(vpcUuid) ?? []), conn]);
  }
  for (const [vpcUuid, conns] of byVpc) {
    const peers = [...new Set(conns.map((c) => peerKeyOf(partsOf(env.world, c).cgw)))];
    let report: Record<string, boolean>;
    try {
      report = await env.router.checkConnections(vpcUuid, peers);
    } catch {
      continue; // CloudStack logs a failed check and leaves states alone.
    }
    for (const conn of conns) {
      const connected = report[peerKeyOf(partsOf(env.world, conn).cgw)];
      if (connected === undefined || !CHECKED_STATES.has(conn.state)) continue;
      const next: ConnectionState = connected ? "Connected" : "Disconnected";
      if (next !== conn.state) setState(env.world, conn, next);
    }
  }
}

/**
 * A restart of the local cloud is a restart of every router: `markDisconnectVpnConnByVpc` then
 * `reconnectDisconnectedVpnByVpc` (contract §2.8), so a fresh in-memory router gets its bags again.
 */
export async function reconnectAfterRestart(env: RouterEnv): Promise<void> {
  for (const conn of env.world.all("connections")) {
    if (conn.state === "Connected" || conn.state === "Connecting") setState(env.world, conn, "Disconnected");
  }
  for (const conn of env.world.all("connections")) {
    if (conn.state !== "Disconnected") continue;
    try {
      await startConnection(env, conn);
    } catch {
      // Start failures leave the row in Error, as on a real router start.
    }
  }
}

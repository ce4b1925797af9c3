/**
 * Live telemetry of a tunnel — state, where a pushed branch connected from, byte counters — read on demand. These
 * values change all the time, so they are not resource outputs (a refresh of a quiet tunnel must report no
 * change); programs and tools call this instead. Runs in the program (or any Node process), never in the provider.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cs from "../cloudstack";
import type { CloudStackSettings } from "../model/cloudstack-settings";
import type { SshAccessSpec } from "../model/gateway-access";
import type { CloudStackSettingsArgs } from "./common-args";
import type { CustomerGateway } from "./customer-gateway";
import type { VpnConnection } from "./vpn-connection";
import type { VpnGateway } from "./vpn-gateway";

export interface TunnelStatus {
  managedBy: "cloudstack" | "gateway";
  /** CloudStack's connection state, or `Connected`/`Disconnected` from charon for a pushed peer. */
  state: string;
  established: boolean;
  /** Pushed peer: the address the branch connects from right now. */
  peerAddress?: string;
  /** Pushed peer: bytes received / sent by its current SAs. */
  bytesIn?: number;
  bytesOut?: number;
  /** ISO time of the reading. */
  checkedAt: string;
  /** Set when the reading failed (`state` is then `Unknown`): telemetry never fails a deployment. */
  error?: string;
}

export type TunnelStatusQuery =
  | { managedBy: "cloudstack"; connectionId: string; cloudstack?: CloudStackSettings }
  | { managedBy: "gateway"; ssh: SshAccessSpec; remoteId: string };

/** One reading (plain values). CloudStack credentials default like the resources' (environment last). */
export async function fetchTunnelStatus(query: TunnelStatusQuery): Promise<TunnelStatus> {
  const checkedAt = () => new Date().toISOString();
  if (query.managedBy === "gateway") {
    // Loaded on demand: programs that never ask for a pushed peer's status never load the SSH client.
    const push = require("./impl/connection-push") as typeof import("./impl/connection-push");
    // Both routers of a redundant pair (the tunnel is on whichever is PRIMARY); one unreachable router is tolerated.
    const status = await push.withRouters({ ...query.ssh, ...(query.ssh.secondRouter ? { allowPartialPush: true } : {}) }, undefined, (set) => push.peerStatusOnRouters(set, query.remoteId));
    return { managedBy: "gateway", state: status.established ? "Connected" : "Disconnected", established: status.established, ...(status.peerAddress ? { peerAddress: status.peerAddress } : {}), bytesIn: status.bytesIn, bytesOut: status.bytesOut, checkedAt: checkedAt() };
  }
  const client = new cs.CloudStackClient(query.cloudstack ? { apiUrl: query.cloudstack.url, apiKey: query.cloudstack.apiKey, secretKey: query.cloudstack.secretKey, env: {} } : { env: process.env });
  try {
    const conn = await cs.getVpnConnection(client, query.connectionId);
    if (!conn) throw new Error(`VPN connection ${query.connectionId} does not exist in CloudStack`);
    return { managedBy: "cloudstack", state: conn.state ?? "Unknown", established: conn.state === "Connected", checkedAt: checkedAt() };
  } finally {
    client.close();
  }
}

export interface GetTunnelStatusArgs {
  connection: VpnConnection;
  /** Needed for a pushed peer (its SSH access). */
  vpnGateway?: VpnGateway;
  /** Needed for a pushed peer (its IKE identity). */
  customerGateway?: CustomerGateway;
  /** As given to the connection, if it has its own settings. */
  cloudstack?: pulumi.Input<CloudStackSettingsArgs>;
}

/**
 * The status of a connection of this program, as an Output (read after the resources exist; unknown during a
 * preview). Not secret, although the SSH access it uses is.
 */
export function getTunnelStatus(args: GetTunnelStatusArgs): pulumi.Output<TunnelStatus | undefined> {
  const ssh = args.vpnGateway ? args.vpnGateway.ssh : undefined;
  const spec = args.customerGateway ? args.customerGateway.spec : undefined;
  const status = pulumi.all([args.connection.id, args.connection.managedBy, ssh, spec, args.cloudstack]).apply(async ([id, managedBy, access, peerSpec, settings]): Promise<TunnelStatus | undefined> => {
    if (pulumi.runtime.isDryRun()) return undefined;
    const by = managedBy === "gateway" ? "gateway" : "cloudstack";
    try {
      if (by === "gateway") {
        const peer = (peerSpec as { peer?: { type?: string; remoteId?: string } } | undefined)?.peer;
        if (!access || peer?.type !== "dynamic" || !peer.remoteId) throw new Error("a pushed peer's status needs `vpnGateway` (with `ssh`) and `customerGateway`");
        return await fetchTunnelStatus({ managedBy: "gateway", ssh: access as unknown as SshAccessSpec, remoteId: peer.remoteId });
      }
      return await fetchTunnelStatus({ managedBy: "cloudstack", connectionId: id, ...(settings ? { cloudstack: settings as CloudStackSettings } : {}) });
    } catch (error) {
      return { managedBy: by, state: "Unknown", established: false, checkedAt: new Date().toISOString(), error: `getTunnelStatus: ${(error as Error).message}` };
    }
  });
  return pulumi.unsecret(status);
}

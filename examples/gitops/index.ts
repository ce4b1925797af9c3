// GitOps: the repository's sites/*.yaml are the source of truth. Each site becomes a customer gateway and a
// connection; sites on the same VPC share one VPN gateway. PSKs come from the environment (`ipsecPsk: { env }`).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
// In your own project: import { … } from "cloudstack-s2s";
import { CustomerGateway, getTunnelStatus, VpnConnection, VpnGateway, type GatewaySshArgs } from "../../provider/resources";
import { loadSites } from "./sites";

const config = new pulumi.Config();
const sitesDir = path.join(__dirname, config.get("sitesDir") ?? "sites");
/** Per VPC id: SSH access to its router (only needed for dynamic peers on CloudStack without the dynamic-peer API). */
const sshByVpc = config.getSecretObject<Record<string, GatewaySshArgs>>("gatewaySsh");

const gateways = new Map<string, VpnGateway>();
const connections: Record<string, VpnConnection> = {};
const live: Record<string, ReturnType<typeof getTunnelStatus>> = {};
for (const { site, psk } of loadSites(sitesDir)) {
  const vpcId = site.vpnGateway.vpcId!;
  let gateway = gateways.get(vpcId);
  if (!gateway) {
    gateway = new VpnGateway(`vpc-${vpcId}`, { vpcId, ssh: sshByVpc?.apply((m) => m[vpcId]) as pulumi.Output<GatewaySshArgs> | undefined, publicInterface: site.vpnGateway.publicInterface });
    gateways.set(vpcId, gateway);
  }
  const { ipsecPsk: _ref, ...settings } = site.customerGateway;
  const customerGateway = new CustomerGateway(site.name, { ...settings, ipsecPsk: pulumi.secret(psk) });
  connections[site.name] = new VpnConnection(site.name, { vpnGateway: gateway, customerGateway, passive: site.connection.passive });
  // Live telemetry only on request (`tunnelStatus: true`): it is not part of the resources' state.
  if (config.getBoolean("tunnelStatus")) live[site.name] = getTunnelStatus({ connection: connections[site.name]!, vpnGateway: gateway, customerGateway });
}

export const tunnels = Object.fromEntries(Object.entries(connections).map(([name, c]) => [name, { state: c.state, established: c.established, lastSeenFrom: live[name]?.apply((s) => s?.peerAddress) }]));
export const gatewayIps = Object.fromEntries([...gateways].map(([vpc, g]) => [vpc, g.publicIp]));

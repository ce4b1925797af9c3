// A branch office behind a consumer ISP link: its public address changes, so CloudStack knows it by its IKE ID.
// On a CloudStack with the dynamic-peer API the customer gateway is native; on stock CloudStack (4.22) the peer is
// pushed to the VPC's router over SSH (`gatewaySsh` config), which is why the VpnGateway carries the access.
import * as pulumi from "@pulumi/pulumi";
// In your own project: import { CustomerGateway, VpnConnection, VpnGateway } from "cloudstack-s2s";
import { CustomerGateway, getTunnelStatus, VpnConnection, VpnGateway, type GatewaySshArgs } from "../../provider/resources";

const config = new pulumi.Config();

const gateway = new VpnGateway("vpc-gateway", {
  vpcId: config.require("vpcId"),
  // Only used when a dynamic peer must be pushed (no dynamic-peer API); a secret object: it holds a private key.
  ssh: config.getSecretObject<GatewaySshArgs>("gatewaySsh"),
  adoptExisting: config.getBoolean("adoptExisting") ?? false,
});

const branch = new CustomerGateway("branch", {
  name: config.get("branchName") ?? "branch-lyon",
  peer: {
    type: "dynamic",
    remoteId: config.require("branchId"),
    allowedSourceCidrs: config.requireObject<string[]>("branchSourceCidrs"),
  },
  cidrList: config.requireObject<string[]>("branchCidrs"),
  ipsecPsk: config.requireSecret("branchPsk"),
});

const connection = new VpnConnection("branch", {
  vpnGateway: gateway,
  customerGateway: branch,
  waitForEstablished: config.getBoolean("waitForEstablished") ?? false,
});

/** Give this to the branch router as its `right=` (the VPC's side). */
export const gatewayPublicIp = gateway.publicIp;
export const customerGatewayManagedBy = branch.managedBy;
export const tunnelState = connection.state;
export const tunnelEstablished = connection.established;
/**
 * Live telemetry (where the branch connects from, its traffic) is not a resource output — a refresh of a quiet
 * tunnel reports no change. It is read on demand; `pulumi config set tunnelStatus true` adds it to the stack outputs.
 */
export const tunnelStatus = config.getBoolean("tunnelStatus") ? getTunnelStatus({ connection, vpnGateway: gateway, customerGateway: branch }) : undefined;

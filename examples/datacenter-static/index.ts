// A datacenter with a fixed public address: CloudStack terminates it natively, no SSH access needed.
import * as pulumi from "@pulumi/pulumi";
// In your own project: import { CustomerGateway, VpnConnection, VpnGateway } from "cloudstack-s2s";
import { CustomerGateway, VpnConnection, VpnGateway } from "../../provider/resources";

const config = new pulumi.Config();

const gateway = new VpnGateway("vpc-gateway", { vpcId: config.require("vpcId") });

const datacenter = new CustomerGateway("datacenter", {
  name: "datacenter-paris",
  peer: { type: "static", gateway: config.require("peerAddress") },
  cidrList: config.requireObject<string[]>("peerCidrs"),
  ipsecPsk: config.requireSecret("psk"),
  ikePolicy: "aes256-sha256;modp2048",
  espPolicy: "aes256-sha256;modp2048",
  ikeVersion: "ikev2",
  dpd: true,
  splitConnections: true,
});

const connection = new VpnConnection("datacenter", {
  vpnGateway: gateway,
  customerGateway: datacenter,
  waitForEstablished: config.getBoolean("waitForEstablished") ?? true,
  establishedTimeoutSeconds: 300,
});

export const gatewayPublicIp = gateway.publicIp;
export const connectionId = connection.id;
export const tunnelState = connection.state;

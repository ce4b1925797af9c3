import type { SiteSpec } from "../../../provider/model/site";
import { mustParse, TEST_PSK } from "../../helpers/sites";

export { TEST_PSK };

export const ID_CASES = [
  { type: "email", remoteId: "branch@example.com" },
  { type: "fqdn", remoteId: "branch.example.com" },
  { type: "dn", remoteId: "C=FR, O=Example, CN=branch" },
  { type: "ipv4", remoteId: "192.0.2.44" },
  { type: "ipv6", remoteId: "2001:db8::44" },
] as const;

/** A dynamic-peer site with two branch subnets (one SA each for the vendors that bind one per pair). */
export function dynamicDeviceSite(remoteId: string, remoteIdType: string, extra: Record<string, unknown> = {}): SiteSpec {
  return mustParse({
    name: "branch-lyon",
    vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10" },
    customerGateway: {
      peer: { type: "dynamic", remoteId, remoteIdType, allowedSourceCidrs: ["203.0.113.0/24"] },
      cidrList: ["192.168.10.0/24", "192.168.20.0/24"],
      ipsecPsk: TEST_PSK,
      ...extra,
    },
  });
}

/** A static peer, split connections, DPD on. */
export function staticDeviceSite(extra: Record<string, unknown> = {}): SiteSpec {
  return mustParse({
    name: "datacenter-paris",
    vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10" },
    customerGateway: { peer: { type: "static", gateway: "203.0.113.10" }, cidrList: ["172.16.0.0/20", "172.16.32.0/20"], splitConnections: true, dpd: true, ikeVersion: "ikev2", ipsecPsk: TEST_PSK, ...extra },
  });
}

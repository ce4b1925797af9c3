/**
 * The minimal VPC world the S2S commands need: VPCs with a CIDR and exactly one source-NAT public IP each, drawn
 * from documentation ranges (RFC 5737) so nothing real is ever addressed.
 */
import { cloudRuntime } from "./errors";
import type { PublicIp, Vpc } from "./state";
import type { World } from "./world";

/** Documentation ranges only; .1 is each range's (fictional) VLAN gateway. */
export const PUBLIC_IP_RANGES = [
  { prefix: "198.51.100.", gateway: "198.51.100.1" },
  { prefix: "203.0.113.", gateway: "203.0.113.1" },
] as const;
const FIRST_HOST = 10;
const HOSTS_PER_RANGE = 245;

function allocateAddress(world: World): { address: string; vlanGateway: string } {
  const index = world.nextId("publicIpPool") - 1;
  const range = PUBLIC_IP_RANGES[Math.floor(index / HOSTS_PER_RANGE)];
  if (range === undefined) throw cloudRuntime("Insufficient address capacity: the local cloud's public IP ranges are exhausted");
  return { address: `${range.prefix}${FIRST_HOST + (index % HOSTS_PER_RANGE)}`, vlanGateway: range.gateway };
}

export interface NewVpc {
  accountId: number;
  domainId: number;
  name: string;
  displayText: string;
  cidr: string;
  zoneId: number;
  vpcOfferingId: number;
}

/** Creates the VPC row and its source-NAT IP (what CloudStack does when the VPC is implemented). */
export function createVpcWithSourceNat(world: World, spec: NewVpc): { vpc: Vpc; sourceNat: PublicIp } {
  const vpc: Vpc = { ...world.identity("vpcs"), ...spec };
  world.state.vpcs.push(vpc);
  const sourceNat: PublicIp = {
    ...world.identity("publicIps"),
    ...allocateAddress(world),
    accountId: spec.accountId,
    domainId: spec.domainId,
    zoneId: spec.zoneId,
    vpcId: vpc.id,
    sourceNat: true,
  };
  world.state.publicIps.push(sourceNat);
  return { vpc, sourceNat };
}

export function sourceNatIpsOf(world: World, vpcId: number): PublicIp[] {
  return world.all("publicIps").filter((ip) => ip.vpcId === vpcId && ip.sourceNat);
}

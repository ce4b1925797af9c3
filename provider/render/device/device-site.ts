import type { IkeIdType } from "../../model/ike-id";
import { isIpv6, isStrictIpv4, netmaskOf, parseIpv4Cidr, numberToIpv4 } from "../../model/net";
import { parsePolicy, type Proposal } from "../../model/policy";
import { dynamicResponderId } from "../../model/responder-id";
import type { SiteSpec } from "../../model/site";

/** TCP MSS the operator manual advises for traffic through the tunnel (ESP-in-UDP overhead on the VR's data plane). */
export const DEFAULT_TCP_MSS = 1350;

/** Where a value came from in the site file; every rendered statement names it in a comment. */
export const SRC = {
  siteName: "name",
  remoteId: "customerGateway.peer.remoteId",
  staticGateway: "customerGateway.peer.gateway",
  publicIp: "vpnGateway.publicIp",
  responderId: "dynamicResponderId(vpnGateway.publicIp)",
  psk: "customerGateway.ipsecPsk",
  ikePolicy: "customerGateway.ikePolicy",
  espPolicy: "customerGateway.espPolicy",
  ikeLifetime: "customerGateway.ikeLifetime",
  espLifetime: "customerGateway.espLifetime",
  dpd: "customerGateway.dpd",
  dpdDelay: "customerGateway.dpdDelaySeconds",
  dpdTimeout: "customerGateway.dpdTimeoutSeconds",
  forceEncap: "customerGateway.forceEncap",
  split: "customerGateway.splitConnections",
  vpcCidr: "vpnGateway.vpcCidr",
  ikeVersion: "customerGateway.ikeVersion",
  mss: "(default: operator manual, 1350)",
} as const;

export interface DeviceId {
  value: string;
  type: IkeIdType;
  /** Site field path (or derivation) the ID comes from. */
  source: string;
}

/** One traffic selector pair: a branch subnet and the VPC CIDR. */
export interface SelectorPair {
  local: string;
  localSource: string;
  remote: string;
}

/** The PSK to write: the key itself, or a marked placeholder. */
export interface DevicePsk {
  text: string;
  placeholder: boolean;
}

/** Everything a device template needs, read once from a validated site. */
export interface DeviceSite {
  name: string;
  dynamic: boolean;
  /** The branch's own identity; absent for a static peer known by host name (the device's address is used). */
  localId?: DeviceId;
  remoteAddress: string;
  remoteId: DeviceId;
  psk: DevicePsk;
  ike: Proposal[];
  esp: Proposal[];
  ikeLifetime: number;
  espLifetime: number;
  dpd: boolean;
  dpdDelay: number;
  dpdTimeout: number;
  forceEncap: boolean;
  split: boolean;
  ikeVersion: "ike" | "ikev1" | "ikev2";
  vpcCidr: string;
  localCidrs: { cidr: string; source: string }[];
  /** One pair per branch subnet (vendors that bind one SA per pair use these whatever `split` says). */
  pairs: SelectorPair[];
  mss: number;
}

export const PSK_PLACEHOLDER = "CHANGE-ME-psk-of-customerGateway.ipsecPsk";

/**
 * The branch's view of a site. Dynamic peers: the branch sends its `remoteId`, and expects the VPC side's FQDN
 * responder identity (issue 10). Static peers: the VPC side is known by its public address, and the branch by its
 * own gateway address (the VR's `rightid` defaults to `right=<gateway>`).
 */
export function deviceSite(site: SiteSpec, options: { psk?: string; mss?: number } = {}): DeviceSite {
  const cg = site.customerGateway;
  const publicIp = site.vpnGateway.publicIp;
  if (!publicIp) throw new Error(`site ${site.name}: \`vpnGateway.publicIp\` is required to render a device configuration; set it to the VPN gateway's public IPv4 address`);
  const dynamic = cg.peer.type === "dynamic";
  let localId: DeviceId | undefined;
  if (cg.peer.type === "dynamic") localId = { value: cg.peer.remoteId, type: cg.peer.remoteIdType, source: SRC.remoteId };
  else if (isStrictIpv4(cg.peer.gateway)) localId = { value: cg.peer.gateway, type: "ipv4", source: SRC.staticGateway };
  else if (isIpv6(cg.peer.gateway)) localId = { value: cg.peer.gateway, type: "ipv6", source: SRC.staticGateway };
  const remoteId: DeviceId = dynamic
    ? { value: dynamicResponderId(publicIp), type: "fqdn", source: SRC.responderId }
    : { value: publicIp, type: "ipv4", source: SRC.publicIp };
  const literal = typeof cg.ipsecPsk === "string" ? cg.ipsecPsk : undefined;
  const key = options.psk ?? literal;
  const localCidrs = cg.cidrList.map((cidr, i) => ({ cidr, source: `customerGateway.cidrList[${i}]` }));
  return {
    name: site.name,
    dynamic,
    ...(localId ? { localId } : {}),
    remoteAddress: publicIp,
    remoteId,
    psk: key === undefined ? { text: PSK_PLACEHOLDER, placeholder: true } : { text: key, placeholder: false },
    ike: proposals(cg.ikePolicy),
    esp: proposals(cg.espPolicy),
    ikeLifetime: cg.ikeLifetime,
    espLifetime: cg.espLifetime,
    dpd: cg.dpd,
    dpdDelay: cg.dpdDelaySeconds,
    dpdTimeout: cg.dpdTimeoutSeconds,
    forceEncap: cg.forceEncap,
    split: cg.splitConnections,
    ikeVersion: cg.ikeVersion,
    vpcCidr: site.vpnGateway.vpcCidr,
    localCidrs,
    pairs: localCidrs.map((c) => ({ local: c.cidr, localSource: c.source, remote: site.vpnGateway.vpcCidr })),
    mss: options.mss ?? DEFAULT_TCP_MSS,
  };
}

function proposals(policy: string): Proposal[] {
  const parsed = parsePolicy(policy);
  if ("problem" in parsed) throw new Error(`policy ${JSON.stringify(policy)} ${parsed.problem}`); // validated sites never get here
  return parsed.proposals;
}

/** `192.168.10.0/24` → `["192.168.10.0", "255.255.255.0"]` (vendors that want address + mask). */
export function addressAndMask(cidr: string): [string, string] {
  const c = parseIpv4Cidr(cidr);
  if (typeof c === "string") throw new Error(`${cidr}: ${c}`);
  return [numberToIpv4(c.network), netmaskOf(c.prefix)];
}

/** `192.168.10.0/24` → `["192.168.10.0", "0.0.0.255"]` (Cisco ACL wildcard). */
export function addressAndWildcard(cidr: string): [string, string] {
  const [address, mask] = addressAndMask(cidr);
  return [address, mask.split(".").map((o) => String(255 - Number(o))).join(".")];
}

/** The DH group of the ESP proposals (PFS); the model requires the same kind of list on both sides. */
export function pfsGroups(d: DeviceSite): string[] {
  return [...new Set(d.esp.map((p) => p.dhGroup).filter((g): g is NonNullable<typeof g> => g !== undefined))];
}

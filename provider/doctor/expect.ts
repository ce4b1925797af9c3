/**
 * What a site declares, in the terms charon logs: the branch's ID and its type, the router's ID, the selectors and
 * the proposals. Taken from the branch config the project renders for the site (renderPeer), so that `doctor`
 * agrees with what the renderers actually produce (e.g. the router's ID for dynamic peers) by construction.
 */
import { detectIkeIdType, isIkeIdType, type IkeIdType } from "../model/ike-id";
import { ipv4ToNumber, isStrictIpv4, parseIpv4Cidr } from "../model/net";
import type { SiteSpec } from "../model/site";
import { renderPeer } from "../render/peer";
import { proposalsFromConfig, type Proposal } from "./proposals";

export interface SiteExpectation {
  siteName: string;
  dynamic: boolean;
  /** The ID the branch must send (customerGateway.peer.remoteId, or the static gateway address). */
  branchId?: { text: string; type: IkeIdType };
  /** The ID the router presents, which the branch must expect. */
  routerId: { text: string; type: IkeIdType };
  routerIp: string;
  vpcCidr: string;
  cidrList: string[];
  ike?: Proposal[];
  esp?: Proposal[];
  ikeText: string;
  espText: string;
  allowedSourceCidrs?: string[];
  allowAnySource: boolean;
}

// renderPeer writes a secrets file too; doctor never needs the key, so it never reads or resolves it.
const NOT_A_KEY = "doctor-never-uses-the-key-0000";

function strokeValue(conf: string, key: string): string | undefined {
  return new RegExp(`^ ${key}=(.*)$`, "m").exec(conf)?.[1];
}

/** `@x` → fqdn x; `"C=.., CN=.."` → dn; other text by its shape (as charon reads ipsec.conf). */
export function strokeId(value: string): { text: string; type: IkeIdType } {
  const v = value.replace(/^"(.*)"$/, "$1");
  const type = detectIkeIdType(v);
  return { text: type === "fqdn" && v.startsWith("@") ? v.slice(1) : v, type };
}

export function expectationOf(site: SiteSpec): SiteExpectation {
  const render = renderPeer(site, { psk: NOT_A_KEY });
  const conf = render.files.find((f) => f.path.endsWith(".conf"))?.content ?? "";
  const cg = site.customerGateway;
  const peer = cg.peer as { type: string; remoteId?: string; remoteIdType?: unknown; allowedSourceCidrs?: string[]; allowAnySource?: boolean };
  const leftid = strokeValue(conf, "leftid");
  let branchId: SiteExpectation["branchId"];
  if (peer.type === "dynamic" && peer.remoteId) {
    const type = isIkeIdType(peer.remoteIdType) ? peer.remoteIdType : detectIkeIdType(peer.remoteId);
    branchId = { text: type === "fqdn" && peer.remoteId.startsWith("@") ? peer.remoteId.slice(1) : peer.remoteId, type };
  } else if (leftid) branchId = strokeId(leftid);
  const ikeText = strokeValue(conf, "ike") ?? "";
  const espText = strokeValue(conf, "esp") ?? "";
  const ike = proposalsFromConfig(ikeText, "IKE");
  const esp = proposalsFromConfig(espText, "ESP");
  return {
    siteName: site.name,
    dynamic: peer.type === "dynamic",
    ...(branchId ? { branchId } : {}),
    routerId: strokeId(strokeValue(conf, "rightid") ?? site.vpnGateway.publicIp ?? ""),
    routerIp: site.vpnGateway.publicIp ?? "",
    vpcCidr: site.vpnGateway.vpcCidr,
    cidrList: [...cg.cidrList],
    ...(ike ? { ike } : {}),
    ...(esp ? { esp } : {}),
    ikeText,
    espText,
    ...(peer.allowedSourceCidrs ? { allowedSourceCidrs: [...peer.allowedSourceCidrs] } : {}),
    allowAnySource: peer.allowAnySource === true,
  };
}

export function inCidr(ip: string, cidr: string): boolean {
  const c = parseIpv4Cidr(cidr);
  if (typeof c === "string" || !isStrictIpv4(ip)) return false;
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  return ((ipv4ToNumber(ip) & mask) >>> 0) === c.network;
}

/** RFC 1918, CGNAT and link-local: an address a branch behind NAT has, which the router never sees. */
export function isPrivateIpv4(ip: string): boolean {
  return ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"].some((c) => inCidr(ip, c));
}

/** charon prints IDs without their type; this is the type it would read the printed text as. */
export function idTypeLabel(type: IkeIdType | "unknown"): string {
  return { ipv4: "ID_IPV4_ADDR", ipv6: "ID_IPV6_ADDR", fqdn: "ID_FQDN", email: "ID_RFC822_ADDR", dn: "ID_DER_ASN1_DN", unknown: "type not logged" }[type];
}

/** Compares IDs the way charon matches them: same type and same text (FQDN/e-mail case-insensitively). */
export function sameIdText(a: string, b: string): boolean {
  return a.replace(/^@/, "").toLowerCase() === b.replace(/^@/, "").toLowerCase();
}

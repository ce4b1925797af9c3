import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { configUnsafeReason } from "./config-safe";
import { detectIkeIdType, IKE_ID_TYPES, ikeIdProblems, isIkeIdType, normaliseIkeId, type IkeIdType } from "./ike-id";
import { isAligned, isFqdn, isIpv6, isStrictIpv4, parseIpv4Cidr, formatCidr } from "./net";
import { ALWAYS, report } from "./refine";

/** CloudStack's `verifyDomainName` limit. */
const MAX_GATEWAY_NAME_LENGTH = 190;

const NOT_A_PEER_RANGES = new Set(["unspecified", "loopback", "multicast", "broadcast"]);

/**
 * A peer address that is no single remote host: unspecified (strongSwan reads `right=0.0.0.0` / `::` as %any, a
 * responder for anyone), loopback, multicast or broadcast. IPv4-mapped IPv6 forms count as their IPv4 address.
 */
export function degenerateAddressProblem(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (!NOT_A_PEER_RANGES.has(range)) return undefined;
  const why = range === "unspecified" ? "strongSwan reads it as %any, which would accept any peer" : "it is not the address of one remote router";
  return `is a${range === "unspecified" ? "n" : ""} ${range} address: ${why}; write the branch router's public address`;
}

export function gatewayProblem(gateway: string): string | undefined {
  const unsafe = configUnsafeReason(gateway);
  if (unsafe) return `${unsafe}; write an IPv4/IPv6 address or a host name`;
  if (isStrictIpv4(gateway) || isIpv6(gateway)) return degenerateAddressProblem(gateway);
  // Decimal, octal and hex parts (`127.1`, `010.0.0.1`, `0x7f.0.0.1`) are all IPv4 to inet_aton/getaddrinfo, which
  // strongSwan uses to resolve a host name: refuse every such "name", not only the all-decimal ones.
  if (/^(?:\d+|0x[\da-f]*)(?:\.(?:\d+|0x[\da-f]*))*\.?$/i.test(gateway)) {
    return "is not a valid IPv4 address (four decimal octets 0–255, no leading zeros); CloudStack would store it as a \"domain name\", we refuse it";
  }
  if (gateway.length > MAX_GATEWAY_NAME_LENGTH) return `is longer than ${MAX_GATEWAY_NAME_LENGTH} characters (CloudStack's limit for host names)`;
  return isFqdn(gateway) ? undefined : "is neither an IPv4/IPv6 address nor a valid host name; write e.g. 203.0.113.20 or vpn.branch.example.com";
}

export const staticPeerSchema = z
  .strictObject({
    type: z.literal("static").meta({ description: "The peer has a fixed public address." }),
    gateway: z.string().meta({
      title: "Peer gateway",
      description: "The peer's public IPv4/IPv6 address (strict dotted quad for IPv4) or host name. Unspecified, loopback, multicast and broadcast addresses are refused.",
      examples: ["203.0.113.20"],
    }),
  })
  .superRefine((peer, ctx) => {
    if (typeof peer.gateway !== "string") return;
    const problem = gatewayProblem(peer.gateway);
    if (problem) report(ctx, ["gateway"], "invalid-gateway", `${JSON.stringify(peer.gateway)} ${problem}`);
  }, ALWAYS)
  .meta({ title: "Static peer" });

const ANY_SOURCE = "0.0.0.0/0";

export function sourceCidrProblem(text: string, allowAnySource: boolean): string | undefined {
  const cidr = parseIpv4Cidr(text);
  if (typeof cidr === "string") return `${cidr}; the gateway's public address is IPv4, so list IPv4 source ranges such as 203.0.113.0/24`;
  if (!isAligned(cidr)) return `has host bits set; use the network address ${formatCidr(cidr.network, cidr.prefix)}`;
  if (cidr.prefix === 0 && !allowAnySource) {
    return "opens IKE to the whole internet; list your branch ISP's ranges instead, or set `allowAnySource: true` to accept that risk explicitly";
  }
  return undefined;
}

export const dynamicPeerSchema = z
  .strictObject({
    type: z.literal("dynamic").meta({ description: "The peer's address changes; it is identified by its IKE ID." }),
    remoteId: z.string().meta({
      title: "Remote IKE ID",
      description: "The IKE identity the branch router sends (`leftid` on its side); the PSK is indexed by it. Wildcards (`%any`, `*`, `0.0.0.0`, `::`), strongSwan type prefixes and `*.s2s.invalid` (the VPC side's own namespace) are refused.",
      examples: ["branch@example.com", "@branch.example.com", "C=FR, O=Example, CN=branch"],
    }),
    remoteIdType: z.enum(IKE_ID_TYPES).optional().meta({
      description: "The ID's type. Detected from `remoteId` when omitted: `=` → dn, dotted quad → ipv4, IPv6 → ipv6, `user@domain` → email, otherwise fqdn.",
    }),
    allowedSourceCidrs: z.array(z.string()).optional().meta({
      description: "IPv4 ranges the branch may connect from (its ISP's ranges). Only these reach UDP 500/4500 and ESP. Required unless `allowAnySource` is true.",
      examples: [["203.0.113.0/24"]],
    }),
    allowAnySource: z.boolean().default(false).meta({
      description: "Accept IKE from any source address (`0.0.0.0/0`). The PSK is then the only barrier.",
    }),
  })
  .superRefine((peer, ctx) => {
    if (typeof peer.remoteId === "string") {
      // An unknown remoteIdType is reported by the enum; check the ID as detected meanwhile (refinements run anyway).
      const type: IkeIdType = isIkeIdType(peer.remoteIdType) ? peer.remoteIdType : detectIkeIdType(peer.remoteId);
      for (const problem of ikeIdProblems(peer.remoteId, type)) {
        report(ctx, ["remoteId"], "invalid-remote-id", `${JSON.stringify(peer.remoteId)} (${type}) ${problem}`);
      }
    }
    const cidrs = peer.allowedSourceCidrs;
    const anyAllowed = peer.allowAnySource === true;
    if (Array.isArray(cidrs)) {
      if (cidrs.length === 0 && !anyAllowed) {
        report(ctx, ["allowedSourceCidrs"], "no-source-cidrs", "is empty; list the source ranges the branch connects from, or set `allowAnySource: true`");
      }
      const seen = new Set<string>();
      cidrs.forEach((text, index) => {
        if (typeof text !== "string") return;
        const problem = sourceCidrProblem(text, anyAllowed);
        if (problem) report(ctx, ["allowedSourceCidrs", index], "invalid-source-cidr", `${JSON.stringify(text)} ${problem}`);
        else if (seen.has(text)) report(ctx, ["allowedSourceCidrs", index], "duplicate-source-cidr", `${JSON.stringify(text)} is listed twice; remove the duplicate`);
        seen.add(text);
      });
    } else if (cidrs === undefined && !anyAllowed) {
      report(ctx, ["allowedSourceCidrs"], "required", "is required for a dynamic peer; list the source ranges the branch connects from (e.g. [\"203.0.113.0/24\"]), or set `allowAnySource: true`");
    }
  }, ALWAYS)
  .transform((peer) => {
    const remoteIdType = peer.remoteIdType ?? detectIkeIdType(peer.remoteId);
    return {
      type: "dynamic" as const,
      remoteId: normaliseIkeId(peer.remoteId, remoteIdType),
      remoteIdType,
      allowedSourceCidrs: peer.allowedSourceCidrs && peer.allowedSourceCidrs.length > 0 ? peer.allowedSourceCidrs : [ANY_SOURCE],
      allowAnySource: peer.allowAnySource,
    };
  })
  .meta({ title: "Dynamic peer" });

export const peerSchema = z.discriminatedUnion("type", [staticPeerSchema, dynamicPeerSchema]).meta({
  title: "Peer",
  description: "How the branch is reached: `static` (fixed address) or `dynamic` (explicit opt-in: identified by IKE ID, responder only, IKEv2).",
});

export type PeerSpec = z.output<typeof peerSchema>;
export type DynamicPeerSpec = Extract<PeerSpec, { type: "dynamic" }>;

import { z } from "zod";
import * as D from "./defaults";
import { configUnsafeReason } from "./config-safe";
import { cidrsOverlap, formatCidr, isAligned, parseIpv4Cidr, type Ipv4Cidr } from "./net";
import { peerSchema } from "./peer";
import { CIPHERS, DH_GROUPS, formatPolicy, HASHES, legacyAlgorithmsIn, parsePolicy, type Proposal } from "./policy";
import { pskProblems } from "./psk";
import type { StoredCustomerGateway } from "./databag";
import { ALWAYS, isRecord, report } from "./refine";

const proposalSchema = z.strictObject({
  cipher: z.enum(CIPHERS),
  hash: z.enum(HASHES),
  dhGroup: z.enum(DH_GROUPS).optional().meta({ description: "Diffie-Hellman group (required in IKE policies; PFS group in ESP policies)." }),
});

function policySchema(kind: "IKE" | "ESP", fallback: string) {
  return z
    .union([z.string(), proposalSchema, z.array(proposalSchema).min(1)])
    .default(fallback)
    .meta({
      description: `${kind} proposals: CloudStack's grammar \`cipher-hash[;dhgroup]\`, comma-separated (e.g. \`${fallback}\`), or typed objects \`{cipher, hash, dhGroup}\`.`,
    });
}

/** Proposals of a policy input, or a problem; tolerant of malformed input (refinements run regardless). */
export function proposalsOf(input: unknown): { proposals?: Proposal[]; problem?: string } {
  if (typeof input === "string") {
    const parsed = parsePolicy(input);
    return "problem" in parsed ? { problem: parsed.problem } : { proposals: parsed.proposals };
  }
  // Malformed objects are reported by the schema; the rules here only judge well-formed proposals.
  const list = Array.isArray(input) ? input : isRecord(input) ? [input] : undefined;
  if (!list) return {};
  const parsed = list.map((p) => proposalSchema.safeParse(p));
  return parsed.every((r) => r.success) ? { proposals: parsed.map((r) => r.data as Proposal) } : {};
}

function checkCidrList(ctx: z.RefinementCtx, cidrList: unknown): void {
  if (!Array.isArray(cidrList)) return;
  const parsed: (Ipv4Cidr | undefined)[] = cidrList.map((text: unknown, index) => {
    if (typeof text !== "string") return undefined;
    const cidr = parseIpv4Cidr(text);
    if (typeof cidr === "string") {
      report(ctx, ["cidrList", index], "invalid-cidr", `${JSON.stringify(text)} ${cidr}; write the branch subnet as e.g. 192.168.10.0/24`);
      return undefined;
    }
    if (!isAligned(cidr)) {
      report(ctx, ["cidrList", index], "unaligned-cidr", `${JSON.stringify(text)} has host bits set; use the network address ${formatCidr(cidr.network, cidr.prefix)}`);
      return undefined;
    }
    return cidr;
  });
  parsed.forEach((a, i) => {
    parsed.forEach((b, j) => {
      if (a && b && i < j && cidrsOverlap(a, b)) {
        report(ctx, ["cidrList", j], "overlapping-cidrs", `${JSON.stringify(b.text)} overlaps \`cidrList[${i}]\` ${JSON.stringify(a.text)}; peer subnets must be disjoint (merge them or remove one)`);
      }
    });
  });
}

function checkPolicy(ctx: z.RefinementCtx, field: "ikePolicy" | "espPolicy", input: unknown, rules: { needGroup: string | undefined; allowLegacy: boolean }): void {
  const { proposals, problem } = proposalsOf(input);
  const shown = typeof input === "string" ? `${JSON.stringify(input)} ` : "";
  if (problem) return report(ctx, [field], "invalid-policy", `${shown}${problem}; write e.g. ${field === "ikePolicy" ? D.DEFAULT_IKE_POLICY : D.DEFAULT_ESP_POLICY}`);
  if (!proposals) return;
  if (rules.needGroup && proposals.some((p) => !p.dhGroup)) {
    report(ctx, [field], "missing-dh-group", `${shown}has a proposal without a DH group; ${rules.needGroup}: append e.g. ;modp2048 to each proposal`);
  }
  const legacy = legacyAlgorithmsIn(proposals);
  if (legacy.length > 0 && !rules.allowLegacy) {
    report(ctx, [field], "legacy-crypto", `${shown}uses ${legacy.join(", ")} (broken or too weak); choose aes128/aes256 with sha256+ and modp2048+, or set \`allowLegacyCrypto: true\` for a peer that cannot do better`);
  }
}

/** The customer gateway fields, with the PSK given in the form the front end uses. */
export function customerGatewayShape<P extends z.ZodType>(psk: P) {
  return {
    name: z.string().min(1).max(255).optional().meta({ description: "CloudStack name, unique per account. @default `VPN-<gateway>` (static) or `VPN-<remoteId>` (dynamic)" }),
    peer: peerSchema,
    cidrList: z.array(z.string()).min(1).max(D.MAX_PEER_CIDRS).meta({
      description: `The branch's subnets (aligned IPv4 CIDRs, at most ${D.MAX_PEER_CIDRS}, disjoint, not overlapping the VPC).`,
      examples: [["192.168.10.0/24"]],
    }),
    ipsecPsk: psk,
    ikePolicy: policySchema("IKE", D.DEFAULT_IKE_POLICY),
    espPolicy: policySchema("ESP", D.DEFAULT_ESP_POLICY),
    ikeVersion: z.enum(["ike", "ikev1", "ikev2"]).optional().meta({ description: "IKE version. @default `ike` (auto) for static peers, `ikev2` (forced) for dynamic peers" }),
    ikeLifetime: z.number().int().min(D.MIN_LIFETIME_SECONDS).max(D.MAX_LIFETIME_SECONDS).default(D.DEFAULT_IKE_LIFETIME_SECONDS).meta({ description: "IKE SA lifetime in seconds." }),
    espLifetime: z.number().int().min(D.MIN_LIFETIME_SECONDS).max(D.MAX_LIFETIME_SECONDS).default(D.DEFAULT_ESP_LIFETIME_SECONDS).meta({ description: "ESP (child SA) lifetime in seconds." }),
    dpd: z.boolean().optional().meta({ description: "Dead peer detection. @default false for static peers (CloudStack's default), true for dynamic peers (clears stale SAs)" }),
    dpdDelaySeconds: z.number().int().min(1).max(3600).default(D.DEFAULT_DPD_DELAY_SECONDS).meta({ description: "DPD interval (dynamic peers, swanctl and peer targets; CloudStack's VR always uses 30)." }),
    dpdTimeoutSeconds: z.number().int().min(1).max(86400).default(D.DEFAULT_DPD_TIMEOUT_SECONDS).meta({ description: "DPD timeout (IKEv1 only in strongSwan; CloudStack's VR always writes 120)." }),
    forceEncap: z.boolean().default(false).meta({ description: "Force UDP encapsulation (NAT-T) even without NAT." }),
    splitConnections: z.boolean().default(false).meta({ description: "One child SA per peer CIDR instead of one with all of them." }),
    allowLegacyCrypto: z.boolean().default(false).meta({ description: "Permit 3des, md5 and modp1024 for a peer that cannot do better." }),
    account: z.string().min(1).optional().meta({ description: "Owner account (needs `domainId`)." }),
    domainId: z.string().min(1).optional().meta({ description: "Owner domain id." }),
    projectId: z.string().min(1).optional().meta({ description: "Owner project id." }),
  };
}

/** Rules across fields; written defensively because they run even when some fields are malformed. */
export function checkCustomerGateway(cg: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isRecord(cg)) return; // a missing or non-object gateway is reported by the schema itself
  const peer = isRecord(cg.peer) ? cg.peer : {};
  const dynamic = peer.type === "dynamic";
  const allowLegacy = cg.allowLegacyCrypto === true;
  if (typeof cg.name === "string") {
    const unsafe = /[\u0000-\u001f\u007f]/.test(cg.name) ? "contains a control character" : undefined;
    if (unsafe) report(ctx, ["name"], "invalid-name", `${JSON.stringify(cg.name)} ${unsafe}`);
  }
  checkCidrList(ctx, cg.cidrList);
  checkPolicy(ctx, "ikePolicy", cg.ikePolicy, { needGroup: "IKE needs a Diffie-Hellman group", allowLegacy });
  checkPolicy(ctx, "espPolicy", cg.espPolicy, { needGroup: dynamic ? "a dynamic peer needs PFS" : undefined, allowLegacy });
  if (typeof cg.ipsecPsk === "string") {
    for (const problem of pskProblems(cg.ipsecPsk, { dynamicPeer: dynamic })) report(ctx, ["ipsecPsk"], "invalid-psk", problem);
  }
  if (dynamic && (cg.ikeVersion === "ike" || cg.ikeVersion === "ikev1")) {
    report(ctx, ["ikeVersion"], "dynamic-peer-needs-ikev2", `${JSON.stringify(cg.ikeVersion)} cannot serve a dynamic peer: in IKEv1 main mode strongSwan must pick the PSK before it learns the peer's ID, and aggressive mode leaks a crackable hash; remove ikeVersion or set it to "ikev2"`);
  }
  if (typeof cg.dpdDelaySeconds === "number" && typeof cg.dpdTimeoutSeconds === "number" && cg.dpdTimeoutSeconds <= cg.dpdDelaySeconds) {
    report(ctx, ["dpdTimeoutSeconds"], "dpd-timeout-too-short", `${cg.dpdTimeoutSeconds} must be longer than \`dpdDelaySeconds\` ${cg.dpdDelaySeconds}`);
  }
  if (cg.account !== undefined && cg.domainId === undefined) {
    report(ctx, ["domainId"], "account-needs-domain", "is required when `account` is set (CloudStack resolves an account name within a domain)");
  }
}

type Shape = ReturnType<typeof customerGatewayShape<z.ZodType>>;
type Raw = z.output<z.ZodObject<Shape>>;

/** Resolves the defaults that depend on the peer type and normalises policies to CloudStack's canonical text. */
export function resolveCustomerGateway<T extends Raw>(cg: T) {
  const dynamic = cg.peer.type === "dynamic";
  const policyText = (input: unknown) => {
    const { proposals } = proposalsOf(input);
    return proposals ? formatPolicy(proposals) : String(input);
  };
  return {
    ...cg,
    name: cg.name ?? `VPN-${cg.peer.type === "dynamic" ? cg.peer.remoteId : cg.peer.gateway}`,
    ikePolicy: policyText(cg.ikePolicy),
    espPolicy: policyText(cg.espPolicy),
    ikeVersion: cg.ikeVersion ?? (dynamic ? "ikev2" : "ike"),
    dpd: cg.dpd ?? dynamic,
  };
}

/** `CustomerGateway` resource input. */
export const customerGatewaySchema = z
  .strictObject(customerGatewayShape(z.string().meta({ description: "Pre-shared key (secret). No `\"` or line breaks; ≥ 20 characters for dynamic peers." })))
  .superRefine((cg, ctx) => checkCustomerGateway(cg, ctx), ALWAYS)
  .transform((cg) => resolveCustomerGateway(cg))
  .meta({ title: "CustomerGateway" });

export type CustomerGatewayInput = z.input<typeof customerGatewaySchema>;
export type CustomerGatewaySpec = z.output<typeof customerGatewaySchema>;

/**
 * A validated customer gateway as CloudStack would store it (what the data-bag builder takes). One mapping for the
 * site files and the Pulumi push path; the key comes separately because a spec may hold only a reference to it.
 */
export function storedCustomerGateway(cg: Omit<CustomerGatewaySpec, "ipsecPsk">, psk: string): StoredCustomerGateway {
  const peer = cg.peer;
  return {
    ...(peer.type === "static" ? { gateway: peer.gateway } : {}),
    cidrList: cg.cidrList.join(","),
    ipsecPsk: psk,
    ikePolicy: cg.ikePolicy,
    espPolicy: cg.espPolicy,
    ikeLifetime: cg.ikeLifetime,
    espLifetime: cg.espLifetime,
    dpd: cg.dpd,
    forceEncap: cg.forceEncap,
    splitConnections: cg.splitConnections,
    ikeVersion: cg.ikeVersion,
    ...(peer.type === "dynamic"
      ? {
          dynamicPeer: true,
          remoteId: peer.remoteId,
          remoteIdType: peer.remoteIdType,
          sourceCidrList: peer.allowedSourceCidrs.join(","),
          dpdDelaySeconds: cg.dpdDelaySeconds,
          dpdTimeoutSeconds: cg.dpdTimeoutSeconds,
        }
      : {}),
  };
}

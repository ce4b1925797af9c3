import { z } from "zod";
import { configUnsafeReason } from "./config-safe";
import type { Site2SiteVpnDataBag } from "./databag";
import { detectIkeIdType, IKE_ID_TYPES, ikeIdProblems, isIkeIdType, type IkeIdType } from "./ike-id";
import { issuesFromZod, type Issue } from "./issues";
import { isAligned, isIpv6, isStrictIpv4, parseIpv4Cidr } from "./net";
import { degenerateAddressProblem } from "./peer";
import { parsePolicy } from "./policy";
import { pskProblems } from "./psk";
import { ALWAYS, isRecord, report } from "./refine";

/**
 * A data bag as received (from CloudStack, a file, the local endpoint). Lenient where CloudStack is lenient (it is
 * rendered byte-for-byte as CloudStack's router would), strict on anything that could change a file's meaning.
 */
const SAFE_TOKEN = /^[A-Za-z0-9.:_-]+$/;
const POLICY_TOKEN = /^[a-z0-9;,-]+$/;

/** Values that become words of iptables or shell commands must not read as options. */
function tokenProblem(value: string): string | undefined {
  return value.startsWith("-") ? "starts with -, which a command would read as an option; write an address" : undefined;
}

function cidrListProblem(list: string, requireAligned: boolean): string | undefined {
  if (list.length === 0) return "is empty";
  if (/\s/.test(list)) return "contains white space; CloudStack sends the list comma-separated without spaces";
  for (const text of list.split(",")) {
    const cidr = parseIpv4Cidr(text);
    if (typeof cidr === "string") return `has ${JSON.stringify(text)}, which ${cidr}`;
    if (requireAligned && !isAligned(cidr)) return `has ${JSON.stringify(text)}, which has host bits set`;
  }
  return undefined;
}

export const dataBagSchema = z
  .strictObject({
    type: z.literal("site2sitevpn"),
    create: z.boolean(),
    local_public_ip: z.string(),
    local_guest_cidr: z.string(),
    local_public_gateway: z.string().optional(),
    peer_gateway_ip: z.string().optional(),
    peer_guest_cidr_list: z.string(),
    esp_policy: z.string(),
    ike_policy: z.string(),
    ipsec_psk: z.string(),
    ike_lifetime: z.number().int(),
    esp_lifetime: z.number().int(),
    dpd: z.boolean(),
    passive: z.boolean(),
    encap: z.boolean().optional(),
    split_connections: z.boolean().optional(),
    ike_version: z.string().optional(),
    dynamic_peer: z.boolean().optional(),
    peer_id: z.string().optional(),
    peer_id_type: z.enum(IKE_ID_TYPES).optional(),
    peer_source_cidr_list: z.string().optional(),
    dpd_delay: z.number().int().min(1).max(3600).optional(),
    dpd_timeout: z.number().int().min(1).max(86400).optional(),
  })
  .superRefine((bag, ctx) => {
    if (!isRecord(bag)) return; // a bag that is not an object is reported by the schema itself
    const check = (field: string, value: unknown, problem: string | undefined) => {
      if (problem) report(ctx, [field], "invalid-databag-value", `${JSON.stringify(value)} ${problem}`);
    };
    if (typeof bag.local_public_ip === "string") check("local_public_ip", bag.local_public_ip, isStrictIpv4(bag.local_public_ip) ? undefined : "is not a dotted-quad IPv4 address");
    if (typeof bag.local_guest_cidr === "string") check("local_guest_cidr", bag.local_guest_cidr, cidrListProblem(bag.local_guest_cidr, false) ?? (bag.local_guest_cidr.includes(",") ? "must be one CIDR (the VPC's)" : undefined));
    if (typeof bag.local_public_gateway === "string" && bag.local_public_gateway !== "") check("local_public_gateway", bag.local_public_gateway, tokenProblem(bag.local_public_gateway) ?? (SAFE_TOKEN.test(bag.local_public_gateway) ? undefined : "contains characters outside an address"));
    if (typeof bag.peer_guest_cidr_list === "string") check("peer_guest_cidr_list", bag.peer_guest_cidr_list, cidrListProblem(bag.peer_guest_cidr_list, bag.dynamic_peer === true));
    for (const field of ["ike_policy", "esp_policy"] as const) {
      const value = bag[field];
      if (typeof value !== "string") continue;
      if (!POLICY_TOKEN.test(value)) check(field, value, "contains characters outside CloudStack's policy grammar (cipher-hash;dhgroup, comma-separated)");
      else if (bag.dynamic_peer === true) {
        const parsed = parsePolicy(value);
        if ("problem" in parsed) check(field, value, parsed.problem);
        else if (parsed.proposals.some((p) => !p.dhGroup)) check(field, value, field === "ike_policy" ? "needs a DH group in every proposal" : "needs a PFS group in every proposal for a dynamic peer");
      }
    }
    if (typeof bag.ipsec_psk === "string") {
      for (const problem of pskProblems(bag.ipsec_psk, { dynamicPeer: bag.dynamic_peer === true })) report(ctx, ["ipsec_psk"], "invalid-psk", problem);
    }
    if (typeof bag.ike_version === "string" && !/^[A-Za-z0-9]{1,16}$/.test(bag.ike_version)) check("ike_version", bag.ike_version, "is not a word such as ike, ikev1 or ikev2");
    if (bag.dynamic_peer === true) {
      if (bag.peer_gateway_ip !== undefined) report(ctx, ["peer_gateway_ip"], "dynamic-with-gateway", "must be absent for a dynamic peer (it has no fixed address)");
      if (typeof bag.peer_id !== "string") report(ctx, ["peer_id"], "required", "is required for a dynamic peer");
      else {
        // An unknown peer_id_type is reported by the enum; check the ID as detected meanwhile.
        const type: IkeIdType = isIkeIdType(bag.peer_id_type) ? bag.peer_id_type : detectIkeIdType(bag.peer_id);
        for (const problem of ikeIdProblems(bag.peer_id, type)) check("peer_id", bag.peer_id, `(${type}) ${problem}`);
      }
      if (typeof bag.peer_source_cidr_list !== "string") report(ctx, ["peer_source_cidr_list"], "required", "is required for a dynamic peer (comma-separated source CIDRs)");
      else {
        const sources = bag.peer_source_cidr_list.split(",");
        const duplicate = sources.find((c, i) => sources.indexOf(c) !== i);
        check("peer_source_cidr_list", bag.peer_source_cidr_list, cidrListProblem(bag.peer_source_cidr_list, true) ?? (duplicate ? `lists ${duplicate} twice` : undefined));
      }
      if (typeof bag.ike_version === "string" && bag.ike_version.toLowerCase() !== "ikev2") check("ike_version", bag.ike_version, "must be ikev2 for a dynamic peer");
      for (const field of ["ike_lifetime", "esp_lifetime"] as const) {
        const v = bag[field];
        if (typeof v === "number" && (v < 60 || v > 86400)) check(field, v, "must be within 60…86400 seconds");
      }
    } else {
      if (typeof bag.peer_gateway_ip !== "string") report(ctx, ["peer_gateway_ip"], "required", "is required for a static peer");
      else check("peer_gateway_ip", bag.peer_gateway_ip, tokenProblem(bag.peer_gateway_ip) ?? (SAFE_TOKEN.test(bag.peer_gateway_ip) ? ((isStrictIpv4(bag.peer_gateway_ip) || isIpv6(bag.peer_gateway_ip)) ? degenerateAddressProblem(bag.peer_gateway_ip) : undefined) : (configUnsafeReason(bag.peer_gateway_ip) ?? "contains characters outside an address or host name")));
      for (const field of ["peer_id", "peer_source_cidr_list", "peer_id_type", "dpd_delay", "dpd_timeout"] as const) {
        if (bag[field] !== undefined) report(ctx, [field], "static-with-dynamic-key", "is a dynamic-peer key; set `dynamic_peer: true` or remove it");
      }
    }
  }, ALWAYS);

export function parseDataBag(input: unknown, prefix: (string | number)[] = []): { bag?: Site2SiteVpnDataBag; issues: Issue[] } {
  const result = dataBagSchema.safeParse(input);
  return result.success ? { bag: result.data, issues: [] } : { issues: issuesFromZod(result.error, input, prefix) };
}

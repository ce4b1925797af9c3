import { z } from "zod";
import { checkCustomerGateway, customerGatewayShape, resolveCustomerGateway, storedCustomerGateway } from "./customer-gateway";
import { buildSite2SiteVpnDataBag, type Site2SiteVpnDataBag } from "./databag";
import { DEFAULT_PUBLIC_INTERFACE } from "./defaults";
import { issuesFromZod, makeIssue, type Issue } from "./issues";
import { cidrsOverlap, isAligned, isStrictIpv4, parseIpv4Cidr, formatCidr, INTERFACE_NAME_RE, INTERFACE_NAME_RULE } from "./net";
import { pskProblems, RECOMMENDED_PSK_LENGTH } from "./psk";
import { ALWAYS, isRecord, report } from "./refine";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** In a site file the PSK is best referenced, so GitOps repositories hold no secrets. */
const sitePskSchema = z
  .union([
    z.string().meta({ description: "The key itself (avoid in repositories)." }),
    z.strictObject({ env: z.string().regex(ENV_NAME).meta({ description: "Name of the environment variable holding the key." }) }),
  ])
  .meta({ description: "Pre-shared key: `{ env: NAME }` (recommended) or the key itself. No `\"` or line breaks; ≥ 20 characters for dynamic peers." });

const siteNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/, "must be 1–42 lowercase letters, digits and inner hyphens (it names files and connections)")
  .meta({ description: "Site name: lowercase letters, digits, hyphens. Names the customer gateway and the rendered files." });

export const siteVpnGatewaySchema = z.strictObject({
  vpcId: z.string().min(1).optional().meta({ description: "CloudStack id of the VPC the site attaches to." }),
  vpcCidr: z.string().meta({ description: "The VPC's CIDR (the local side of the tunnel).", examples: ["10.1.0.0/16"] }),
  publicIp: z.string().optional().meta({ description: "The VPN gateway's public IPv4 address. Required to render configs." }),
  publicInterface: z.string().regex(INTERFACE_NAME_RE, INTERFACE_NAME_RULE).default(DEFAULT_PUBLIC_INTERFACE).meta({ description: "The virtual router's public interface." }),
});

export const siteSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: siteNameSchema,
    description: z.string().max(500).optional().meta({ description: "Free text for people." }),
    vpnGateway: siteVpnGatewaySchema.meta({ description: "The VPC side the site attaches to (fields below)." }),
    customerGateway: z.strictObject(customerGatewayShape(sitePskSchema)).meta({ description: "The branch side: CustomerGateway fields (below); `ipsecPsk` may be `{ env: NAME }`." }).superRefine((cg, ctx) => checkCustomerGateway(cg, ctx), ALWAYS),
    connection: z
      .strictObject({
        passive: z.boolean().default(false).meta({ description: "CloudStack waits for the peer to initiate." }),
        forDisplay: z.boolean().optional(),
      })
      .default({ passive: false })
      .meta({ description: "Connection settings: `passive` (CloudStack waits for the peer), `forDisplay`." }),
  })
  .superRefine((site, ctx) => {
    if (!isRecord(site)) return; // a document that is not a mapping is reported by the schema itself
    const gw: Record<string, unknown> = isRecord(site.vpnGateway) ? site.vpnGateway : {};
    const vpc = typeof gw.vpcCidr === "string" ? parseIpv4Cidr(gw.vpcCidr) : undefined;
    if (typeof vpc === "string") report(ctx, ["vpnGateway", "vpcCidr"], "invalid-cidr", `${JSON.stringify(gw.vpcCidr)} ${vpc}`);
    else if (vpc && !isAligned(vpc)) report(ctx, ["vpnGateway", "vpcCidr"], "unaligned-cidr", `${JSON.stringify(gw.vpcCidr)} has host bits set; use ${formatCidr(vpc.network, vpc.prefix)}`);
    if (typeof gw.publicIp === "string" && !isStrictIpv4(gw.publicIp)) {
      report(ctx, ["vpnGateway", "publicIp"], "invalid-ip", `${JSON.stringify(gw.publicIp)} is not a dotted-quad IPv4 address; write four decimal octets, e.g. 198.51.100.10`);
    }
    const cg: Record<string, unknown> = isRecord(site.customerGateway) ? site.customerGateway : {};
    const peer: Record<string, unknown> = isRecord(cg.peer) ? cg.peer : {};
    if (peer.type === "dynamic" && typeof peer.remoteId === "string" && typeof gw.publicIp === "string" && peer.remoteId === gw.publicIp) {
      report(ctx, ["customerGateway", "peer", "remoteId"], "remote-id-is-gateway", `${JSON.stringify(peer.remoteId)} is the VPN gateway's own public address; the router's own secrets (e.g. CloudStack's remote-access VPN key) are keyed by it, so they would authenticate this ID. Give the branch its own ID (e.g. branch@example.com)`);
    }
    if (peer.type === "static" && typeof peer.gateway === "string" && typeof gw.publicIp === "string" && peer.gateway === gw.publicIp) {
      report(ctx, ["customerGateway", "peer", "gateway"], "gateway-is-vpn-gateway", `${JSON.stringify(peer.gateway)} is the VPN gateway's own public address; write the branch router's address`);
    }
    if (vpc && typeof vpc !== "string" && Array.isArray(cg.cidrList)) {
      cg.cidrList.forEach((text: unknown, index: number) => {
        const cidr = typeof text === "string" ? parseIpv4Cidr(text) : undefined;
        if (cidr && typeof cidr !== "string" && cidrsOverlap(cidr, vpc)) {
          report(ctx, ["customerGateway", "cidrList", index], "overlaps-vpc", `${JSON.stringify(text)} overlaps the VPC CIDR ${vpc.text}; the branch subnets must lie outside the VPC`);
        }
      });
    }
  }, ALWAYS)
  .transform((site) => ({
    ...site,
    customerGateway: { ...resolveCustomerGateway(site.customerGateway), name: site.customerGateway.name ?? site.name },
  }))
  .meta({ title: "cloudstack-s2s site", description: "One branch site: its customer gateway, the connection settings and the VPN gateway it attaches to." });

export type SiteInput = z.input<typeof siteSchema>;
export type SiteSpec = z.output<typeof siteSchema>;

/** Findings that do not block (the input is valid but deserves a look). */
export function siteWarnings(site: SiteSpec): Issue[] {
  const out: Issue[] = [];
  const cg = site.customerGateway;
  const dynamic = cg.peer.type === "dynamic";
  if (typeof cg.ipsecPsk === "string") {
    out.push(makeIssue("customerGateway.ipsecPsk", "literal-psk", "holds the key itself; keep keys out of repositories with `ipsecPsk: { env: NAME }`", "warning"));
    if (dynamic && cg.ipsecPsk.length < RECOMMENDED_PSK_LENGTH) {
      out.push(makeIssue("customerGateway.ipsecPsk", "short-psk", `has ${cg.ipsecPsk.length} characters; ${RECOMMENDED_PSK_LENGTH}+ are recommended for a dynamic peer (\`cloudstack-s2s psk\` makes one)`, "warning"));
    }
  }
  if (cg.peer.type === "dynamic" && cg.peer.allowedSourceCidrs.some((c) => c.endsWith("/0"))) {
    out.push(makeIssue("customerGateway.peer.allowedSourceCidrs", "any-source", "accepts IKE from anywhere (allowAnySource); the PSK is the only barrier", "warning"));
  }
  for (const field of ["ikeLifetime", "espLifetime"] as const) {
    if (cg[field] % 60 !== 0) out.push(makeIssue(`customerGateway.${field}`, "lifetime-minutes", `${cg[field]} is not a whole number of minutes; CloudStack's router writes int(seconds/60)m = ${Math.floor(cg[field] / 60)}m`, "warning"));
  }
  if (!dynamic && (cg.dpdDelaySeconds !== 30 || cg.dpdTimeoutSeconds !== 120)) {
    out.push(makeIssue("customerGateway.dpdDelaySeconds", "dpd-timers-ignored", "and dpdTimeoutSeconds apply to the swanctl and peer targets only; CloudStack's router always writes dpddelay=30, dpdtimeout=120", "warning"));
  }
  return out;
}

export interface SiteParse {
  site?: SiteSpec;
  /** Errors and warnings; `site` is set when there is no error. */
  issues: Issue[];
}

export function parseSite(input: unknown): SiteParse {
  const result = siteSchema.safeParse(input);
  if (!result.success) return { issues: issuesFromZod(result.error, input) };
  return { site: result.data, issues: siteWarnings(result.data) };
}

/** Resolves `ipsecPsk: { env }` from the given environment; the key itself is checked, never shown. Warnings do not block. */
export function resolveSitePsk(site: SiteSpec, env: Record<string, string | undefined>): { psk?: string; issues: Issue[] } {
  const ref = site.customerGateway.ipsecPsk;
  if (typeof ref === "string") return { psk: ref, issues: [] };
  const value = env[ref.env];
  if (value === undefined || value === "") {
    return { issues: [makeIssue("customerGateway.ipsecPsk.env", "psk-env-unset", `names ${ref.env}, which is not set; export it (e.g. \`export ${ref.env}=$(cloudstack-s2s psk)\`)`)] };
  }
  const problems = pskProblems(value, { dynamicPeer: site.customerGateway.peer.type === "dynamic" });
  if (problems.length > 0) return { issues: problems.map((p) => makeIssue("customerGateway.ipsecPsk", "invalid-psk", `(from ${ref.env}) ${p}`)) };
  const short = site.customerGateway.peer.type === "dynamic" && value.length < RECOMMENDED_PSK_LENGTH;
  return {
    psk: value,
    issues: short ? [makeIssue("customerGateway.ipsecPsk", "short-psk", `(from ${ref.env}) has ${value.length} characters; ${RECOMMENDED_PSK_LENGTH}+ are recommended for a dynamic peer (\`cloudstack-s2s psk\` makes one)`, "warning")] : [],
  };
}

/** The data bag CloudStack (or, for dynamic peers, this project) sends to the site's virtual router. */
export function siteToDataBag(site: SiteSpec, options: { create: boolean; psk: string; publicIp?: string }): Site2SiteVpnDataBag {
  const publicIp = options.publicIp ?? site.vpnGateway.publicIp;
  if (!publicIp) throw new Error("siteToDataBag: `vpnGateway.publicIp` is required to build a data bag; set it in the site file");
  const { ipsecPsk: _reference, ...cg } = site.customerGateway;
  return buildSite2SiteVpnDataBag({ publicIp, vpcCidr: site.vpnGateway.vpcCidr }, storedCustomerGateway(cg, options.psk), {
    create: options.create,
    passive: site.connection.passive,
  });
}

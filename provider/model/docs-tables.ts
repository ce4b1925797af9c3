import { z } from "zod";
import { customerGatewaySchema } from "./customer-gateway";
import { dynamicPeerSchema, staticPeerSchema } from "./peer";
import { gatewayAccessSchema, secondRouterSchema, sshEndpointSchema } from "./gateway-access";
import { connectionOptionsSchema } from "./resource-options";
import { siteSchema, siteVpnGatewaySchema } from "./site";
import { vpnConnectionSchema } from "./vpn-connection";
import { vpnGatewaySchema } from "./vpn-gateway";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
};

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((e) => `\`${JSON.stringify(e)}\``).join(" \\| ");
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(" \\| ");
  if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
  if (s.type === "integer" && s.minimum !== undefined && s.maximum !== undefined) return `integer ${s.minimum}…${s.maximum}`;
  return Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "object");
}

/** Descriptions carry `@default …` where the default is a behaviour rather than a value. */
function row(name: string, s: JsonSchema, required: boolean): string {
  const text = (s.description ?? "").replace(/\|/g, "\\|");
  const [description, defaultText] = text.split(/ ?@default /);
  const def = s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : defaultText ?? (required ? "required" : "—");
  return `| \`${name}\` | ${typeOf(s)} | ${def} | ${description ?? ""} |`;
}

function table(schema: z.ZodType, skip: readonly string[] = []): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const rows = Object.entries(json.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .map(([name, s]) => row(name, s, required.has(name)));
  return ["| Field | Type | Default | Description |", "|---|---|---|---|", ...rows].join("\n");
}

/** The README's model reference, generated from the zod schemas (test/docs.test.ts fails when README drifts). */
export function modelReference(): string {
  return [
    "### Site file (`examples/sites/*.yaml`, schema: `schema.json`)",
    "",
    table(siteSchema, ["$schema", "customerGateway"]),
    "",
    "`customerGateway` holds the CustomerGateway fields below, except that `ipsecPsk` may also be `{ env: NAME }` (recommended in repositories).",
    "",
    "#### `vpnGateway` (site file)",
    "",
    table(siteVpnGatewaySchema),
    "",
    "### CustomerGateway",
    "",
    table(customerGatewaySchema, ["peer"]),
    "",
    "#### `peer` — static",
    "",
    table(staticPeerSchema),
    "",
    "#### `peer` — dynamic",
    "",
    table(dynamicPeerSchema),
    "",
    "### VpnGateway",
    "",
    table(vpnGatewaySchema),
    "",
    "#### VpnGateway: reaching the router (only needed to push a dynamic peer to a stock CloudStack)",
    "",
    table(gatewayAccessSchema()),
    "",
    "`ssh` and `ssh.jump`:",
    "",
    table(sshEndpointSchema()),
    "",
    "`ssh` also takes `secondRouter` (a redundant VPC's other router; every push goes to both, both or neither) and `allowPartialPush`; `ssh.secondRouter`:",
    "",
    table(secondRouterSchema()),
    "",
    "### VpnConnection",
    "",
    table(vpnConnectionSchema),
    "",
    "### Pulumi-only options",
    "",
    "`CustomerGateway` and `VpnGateway` take `adoptExisting`; `VpnConnection` takes all three:",
    "",
    table(connectionOptionsSchema),
  ].join("\n");
}

export const DOCS_BEGIN = "<!-- BEGIN GENERATED: model reference (npm run docs) -->";
export const DOCS_END = "<!-- END GENERATED: model reference -->";

export function withModelReference(readme: string): string {
  const start = readme.indexOf(DOCS_BEGIN);
  const end = readme.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${DOCS_BEGIN} … ${DOCS_END} markers`);
  return `${readme.slice(0, start + DOCS_BEGIN.length)}\n${modelReference()}\n${readme.slice(end)}`;
}

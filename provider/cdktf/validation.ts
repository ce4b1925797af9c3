/**
 * Synth-time validation for the constructs: the model's zod schemas decide (the same as the CLI and the Pulumi
 * resources), and the apache/cloudstack Terraform provider's gaps are errors naming the field and the way out, never
 * silently dropped fields. A construct given invalid props throws with every problem and its field path.
 */
import { Token } from "cdktf";
import { customerGatewaySchema, type CustomerGatewaySpec } from "../model/customer-gateway";
import { issuesFromZod, makeIssue, type Issue } from "../model/issues";
import { vpnConnectionSchema, type VpnConnectionSpec } from "../model/vpn-connection";
import { vpnGatewaySchema, type VpnGatewaySpec } from "../model/vpn-gateway";

export class InvalidPropsError extends Error {
  override name = "InvalidPropsError";
  constructor(
    readonly construct: string,
    readonly issues: readonly Issue[],
  ) {
    super(`${construct}: invalid props, nothing was synthesized:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`);
  }
}

export function refuse(construct: string, issues: readonly Issue[]): void {
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new InvalidPropsError(construct, errors);
}

const ESCAPE = 'with `staticVia: "cli"` on SiteToSiteVpn (the CloudStack API through `cloudstack-s2s push`, which sets every field)';

/** A long valid key that stands in for an unresolved token while the rest of the input is validated. */
const TOKEN_STAND_IN = "token-stand-in-key-0123456789abcdef";

/**
 * The PSK must be a token (a sensitive TerraformVariable): a literal would be written into cdk.tf.json.
 * Returns the props with a stand-in key for validation and the issue, if any.
 */
export function pskForValidation(path: string, psk: unknown): { value: unknown; issues: Issue[] } {
  if (typeof psk === "string" && Token.isUnresolved(psk)) return { value: TOKEN_STAND_IN, issues: [] };
  if (psk === undefined) return { value: psk, issues: [] };
  return {
    value: psk,
    issues: [makeIssue(path, "literal-psk", "is the key itself, which would be written to cdk.tf.json; pass a sensitive TerraformVariable (`new TerraformVariable(this, \"psk\", { type: \"string\", sensitive: true }).stringValue`, set with TF_VAR_psk)")],
  };
}

/** The model's customer gateway plus what the Terraform provider cannot carry. `prefix` places paths in a site. */
export function checkCustomerGatewayForProvider(raw: Record<string, unknown>, prefix = ""): { spec?: CustomerGatewaySpec; issues: Issue[] } {
  const at = (p: string) => `${prefix}${p}`;
  const psk = pskForValidation(at("ipsecPsk"), raw.ipsecPsk);
  const input = { ...raw, ipsecPsk: psk.value };
  const parsed = customerGatewaySchema.safeParse(input);
  const issues = [...psk.issues, ...(parsed.success ? [] : issuesFromZod(parsed.error, input, prefix ? prefix.replace(/\.$/, "").split(".") : []))];
  if (!parsed.success) return { issues };
  const spec = parsed.data;
  if (spec.peer.type === "dynamic") {
    issues.push(makeIssue(at("peer.type"), "provider-no-dynamic-peer", '"dynamic": the cloudstack Terraform provider has no dynamic peer (no remote ID, allow-list or responder mode); use SiteToSiteVpn, which pushes it with `cloudstack-s2s push`'));
  }
  if (spec.peer.type === "static" && spec.ikeVersion !== "ike") issues.push(makeIssue(at("ikeVersion"), "provider-lacks-field", `${JSON.stringify(spec.ikeVersion)}: the cloudstack Terraform provider has no \`ikeversion\` (CloudStack would use "ike"); remove it, or deploy ${ESCAPE}`));
  if (spec.forceEncap) issues.push(makeIssue(at("forceEncap"), "provider-lacks-field", `true: the cloudstack Terraform provider has no \`forceencap\`; remove it, or deploy ${ESCAPE}`));
  if (spec.splitConnections) issues.push(makeIssue(at("splitConnections"), "provider-lacks-field", `true: the cloudstack Terraform provider has no \`splitconnections\`; remove it, or deploy ${ESCAPE}`));
  for (const field of ["account", "domainId"] as const) {
    if (spec[field] !== undefined) issues.push(makeIssue(at(field), "provider-lacks-field", `is set: the cloudstack Terraform provider has no account/domain on customer gateways; configure the provider with that account's keys (or use \`projectId\`), or deploy ${ESCAPE}`));
  }
  return { spec, issues };
}

export function checkVpnGatewayForProvider(raw: Record<string, unknown>): { spec?: VpnGatewaySpec; issues: Issue[] } {
  const parsed = vpnGatewaySchema.safeParse(raw);
  if (!parsed.success) return { issues: issuesFromZod(parsed.error, raw) };
  const issues: Issue[] = [];
  if (parsed.data.ipAddressId !== undefined) issues.push(makeIssue("ipAddressId", "provider-lacks-field", "is set: the cloudstack Terraform provider's `cloudstack_vpn_gateway` has no `ip_address_id` (it always uses the VPC's source-NAT IP); remove it"));
  if (parsed.data.forDisplay === false) issues.push(makeIssue("forDisplay", "provider-lacks-field", "false: the cloudstack Terraform provider has no `fordisplay`; remove it"));
  return { spec: parsed.data, issues };
}

export function checkVpnConnectionForProvider(raw: Record<string, unknown>, prefix = ""): { spec?: VpnConnectionSpec; issues: Issue[] } {
  const parsed = vpnConnectionSchema.safeParse(raw);
  if (!parsed.success) return { issues: issuesFromZod(parsed.error, raw, prefix ? prefix.replace(/\.$/, "").split(".") : []) };
  const issues: Issue[] = [];
  if (parsed.data.passive) issues.push(makeIssue(`${prefix}passive`, "provider-lacks-field", `true: the cloudstack Terraform provider's \`cloudstack_vpn_connection\` has no \`passive\`; remove it, or deploy ${ESCAPE}`));
  if (parsed.data.forDisplay === false) issues.push(makeIssue(`${prefix}forDisplay`, "provider-lacks-field", `false: the cloudstack Terraform provider has no \`fordisplay\`; remove it, or deploy ${ESCAPE}`));
  return { spec: parsed.data, issues };
}

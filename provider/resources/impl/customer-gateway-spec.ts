/**
 * The customer gateway as the provider handles it: inputs → validated spec (the model does all the checking),
 * spec → CloudStack parameters (every field: update is a full replace), spec → the stored form the data-bag
 * builder takes, and CloudStack's object → the spec it holds now (for refresh). The mappings live in
 * deploy/customer-gateway-params.ts (shared with the CLI).
 */
import { customerGatewaySchema, type CustomerGatewaySpec } from "../../model/customer-gateway";
import { issuesFromZod, type Issue } from "../../model/issues";

export { apiParams, differingFields, owner, publicSpec, specFromCloudStack, type PublicSpec } from "../../deploy/customer-gateway-params";

/** Inputs that steer the provider rather than describe the gateway. */
export const CONTROL_KEYS = ["adoptExisting"] as const;

export function parseCustomerGateway(inputs: Record<string, unknown>): { spec?: CustomerGatewaySpec; issues: Issue[] } {
  const fields = Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "__provider" && !(CONTROL_KEYS as readonly string[]).includes(k)));
  const parsed = customerGatewaySchema.safeParse(fields);
  return parsed.success ? { spec: parsed.data, issues: [] } : { issues: issuesFromZod(parsed.error, fields) };
}

export function mustParseCustomerGateway(inputs: Record<string, unknown>): CustomerGatewaySpec {
  const { spec, issues } = parseCustomerGateway(inputs);
  if (!spec) throw new Error(`CustomerGateway inputs are invalid:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`);
  return spec;
}

/** Shared inputs for the model tests: small valid objects that each test changes in one place. */
import { customerGatewaySchema } from "../../provider/model/customer-gateway";
import { issuesFromZod, type Issue } from "../../provider/model/issues";

/** A PSK long enough for a dynamic peer, recognisable when it leaks into a message. */
export const SECRET_PSK = "Zq8vLeakCanary-7f3a9c1e5b2d4f60a8";

export function staticPeer(gateway = "203.0.113.20") {
  return { type: "static" as const, gateway };
}

export function dynamicPeer(overrides: Record<string, unknown> = {}) {
  return { type: "dynamic" as const, remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"], ...overrides };
}

/** A valid CustomerGateway resource input (static peer unless `peer` is overridden). */
export function customerGatewayInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { peer: staticPeer(), cidrList: ["192.168.10.0/24"], ipsecPsk: SECRET_PSK, ...overrides };
}

/** A valid site file document (dynamic peer, PSK from the environment). */
export function siteInput(overrides: { customerGateway?: Record<string, unknown>; vpnGateway?: Record<string, unknown>; [key: string]: unknown } = {}) {
  const { customerGateway, vpnGateway, ...rest } = overrides;
  return {
    name: "branch-a",
    vpnGateway: { vpcId: "vpc-1", vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10", ...vpnGateway },
    customerGateway: { peer: dynamicPeer(), cidrList: ["192.168.10.0/24"], ipsecPsk: { env: "BRANCH_A_PSK" }, ...customerGateway },
    ...rest,
  };
}

/** Paths of the issues, for `toContain` checks. */
export function pathsOf(issues: readonly Issue[]): string[] {
  return issues.map((i) => i.path);
}

/** The issues at one path. */
export function at(issues: readonly Issue[], path: string): Issue[] {
  return issues.filter((i) => i.path === path);
}

/** Parses a CustomerGateway input; returns its issues (empty when valid). */
export function customerGatewayIssues(input: unknown): Issue[] {
  const result = customerGatewaySchema.safeParse(input);
  return result.success ? [] : issuesFromZod(result.error, input);
}

/** Parses a CustomerGateway input that must be valid. */
export function parseCustomerGateway(input: unknown) {
  const result = customerGatewaySchema.safeParse(input);
  if (!result.success) throw new Error(`expected a valid input, got:\n${issuesFromZod(result.error, input).map((i) => i.message).join("\n")}`);
  return result.data;
}

/**
 * The customer gateway as the provider handles it: inputs → validated spec (the model does all the checking),
 * spec → CloudStack parameters (every field: update is a full replace), spec → the stored form the data-bag
 * builder takes, and CloudStack's object → the spec it holds now (for refresh).
 */
import { customerGatewaySchema, type CustomerGatewaySpec } from "../../model/customer-gateway";
import { issuesFromZod, type Issue } from "../../model/issues";
import type { CreateVpnCustomerGatewayParams, VpnCustomerGateway } from "../../cloudstack";

/** Inputs that steer the provider rather than describe the gateway. */
export const CONTROL_KEYS = ["adoptExisting"] as const;

/** The spec without the PSK: safe to show, and what a connection on the push path receives. */
export type PublicSpec = Omit<CustomerGatewaySpec, "ipsecPsk">;

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

export function publicSpec(spec: CustomerGatewaySpec): PublicSpec {
  const { ipsecPsk: _secret, ...rest } = spec;
  return rest;
}

export function owner(spec: Pick<CustomerGatewaySpec, "account" | "domainId" | "projectId">): { account?: string; domainId?: string; projectId?: string } {
  return {
    ...(spec.account !== undefined ? { account: spec.account } : {}),
    ...(spec.domainId !== undefined ? { domainId: spec.domainId } : {}),
    ...(spec.projectId !== undefined ? { projectId: spec.projectId } : {}),
  };
}

/** Every field CloudStack stores, so an update (a full replace) never resets one to its default. */
export function apiParams(spec: CustomerGatewaySpec): CreateVpnCustomerGatewayParams {
  const peer = spec.peer;
  return {
    name: spec.name,
    cidrList: spec.cidrList,
    ipsecPsk: spec.ipsecPsk,
    ikePolicy: spec.ikePolicy,
    espPolicy: spec.espPolicy,
    ikeLifetime: spec.ikeLifetime,
    espLifetime: spec.espLifetime,
    dpd: spec.dpd,
    forceEncap: spec.forceEncap,
    splitConnections: spec.splitConnections,
    ikeVersion: spec.ikeVersion,
    ...(peer.type === "static" ? { gateway: peer.gateway } : { dynamicPeer: true, remoteId: peer.remoteId, sourceCidrList: peer.allowedSourceCidrs }),
    ...owner(spec),
  };
}

const split = (text: string | undefined): string[] | undefined => (text === undefined || text === "" ? undefined : text.split(",").map((s) => s.trim()));

/** What CloudStack holds now, laid over the last known spec (fields CloudStack does not store are kept). */
export function specFromCloudStack(known: CustomerGatewaySpec, got: VpnCustomerGateway): CustomerGatewaySpec {
  const peer = known.peer.type === "static" || got.dynamicpeer === false
    ? { type: "static" as const, gateway: got.gateway ?? (known.peer.type === "static" ? known.peer.gateway : "") }
    : {
        ...(known.peer.type === "dynamic" ? known.peer : { remoteIdType: "fqdn" as const, allowAnySource: false }),
        type: "dynamic" as const,
        remoteId: got.remoteid ?? (known.peer.type === "dynamic" ? known.peer.remoteId : ""),
        allowedSourceCidrs: split(got.sourcecidrlist) ?? (known.peer.type === "dynamic" ? known.peer.allowedSourceCidrs : []),
      };
  return {
    ...known,
    name: got.name ?? known.name,
    peer: peer as CustomerGatewaySpec["peer"],
    cidrList: split(got.cidrlist) ?? known.cidrList,
    ipsecPsk: got.ipsecpsk ?? known.ipsecPsk,
    ikePolicy: got.ikepolicy ?? known.ikePolicy,
    espPolicy: got.esppolicy ?? known.espPolicy,
    ikeLifetime: got.ikelifetime ?? known.ikeLifetime,
    espLifetime: got.esplifetime ?? known.espLifetime,
    dpd: got.dpd ?? known.dpd,
    forceEncap: got.forceencap ?? known.forceEncap,
    splitConnections: got.splitconnections ?? known.splitConnections,
    ikeVersion: (got.ikeversion as CustomerGatewaySpec["ikeVersion"] | undefined) ?? known.ikeVersion,
  };
}

/** Names (never values) of the fields where CloudStack's object differs from the spec. */
export function differingFields(spec: CustomerGatewaySpec, got: VpnCustomerGateway): string[] {
  const now = specFromCloudStack(spec, got);
  const keys = ["name", "peer", "cidrList", "ipsecPsk", "ikePolicy", "espPolicy", "ikeLifetime", "espLifetime", "dpd", "forceEncap", "splitConnections", "ikeVersion"] as const;
  return keys.filter((k) => JSON.stringify(now[k]) !== JSON.stringify(spec[k]));
}

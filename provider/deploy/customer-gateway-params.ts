/**
 * A customer gateway spec ↔ CloudStack: spec → API parameters (every field: update is a full replace), CloudStack's
 * object → the spec it holds now, and which fields differ. Shared by the Pulumi resources and the CLI.
 */
import type { CreateVpnCustomerGatewayParams, VpnCustomerGateway } from "../cloudstack";
import type { CustomerGatewaySpec } from "../model/customer-gateway";

/** The spec without the PSK: safe to show, and what a connection on the push path receives. */
export type PublicSpec = Omit<CustomerGatewaySpec, "ipsecPsk">;

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

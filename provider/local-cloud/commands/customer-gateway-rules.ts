/**
 * The customer-gateway checks shared by create (synchronous) and update (inside the job), in CloudStack's order
 * (contract §2.1, §2.7), plus the dynamic-peer rules of apache/cloudstack#13512 in the `dynamic-peer` variant.
 * Update is a full replace: omitted optionals go back to defaults, except `ikeversion`, which is kept.
 */
import * as texts from "../error-texts";
import { invalidParameterValue } from "../errors";
import type { Params } from "../params";
import type { CustomerGateway } from "../state";
import type { ApiVariant } from "../types";
import { cidrsOverlap, cleanCidrList, isValidCidrList, isValidIp4, verifyDomainName } from "../validation/net-utils";
import { javaSplit } from "../validation/java-split";
import { isValidS2SVpnPolicy } from "../validation/policy";
import { detectRemoteIdType } from "../validation/remote-id";
import { wildcardIdProblem } from "../../model/ike-id";
import { degenerateAddressProblem } from "../../model/peer";
import type { World } from "../world";

export const SUBNETS_LIMIT = 10;
export const MAX_LIFETIME_SECONDS = 86400;
export const DEFAULT_IKE_LIFETIME = 86400;
export const DEFAULT_ESP_LIFETIME = 3600;

export type CustomerGatewayFields = Omit<CustomerGateway, "id" | "uuid" | "created" | "removed" | "accountId" | "domainId">;

interface Peer {
  gateway?: string;
  dynamicPeer?: boolean;
  remoteId?: string;
  sourceCidrList?: string;
}

/** Gateway / dynamic-peer checks; the stock variant only checks the gateway address. */
function checkPeer(variant: ApiVariant, params: Params): Peer {
  const gateway = params.string("gateway");
  if (variant !== "dynamic-peer") {
    if (!isValidIp4(gateway!) && !verifyDomainName(gateway!)) throw invalidParameterValue(texts.invalidGateway(gateway!));
    return { gateway: gateway! };
  }
  const dynamicPeer = params.boolean("dynamicpeer") === true;
  const remoteId = params.string("remoteid");
  const sourceCidrList = params.string("sourcecidrlist");
  if (!dynamicPeer) {
    if (gateway === undefined || gateway === "") throw invalidParameterValue(texts.gatewayRequiredForStaticPeer());
    if (!isValidIp4(gateway) && !verifyDomainName(gateway)) throw invalidParameterValue(texts.invalidGateway(gateway));
    // The dynamic-peer API is ours to define: it refuses a "peer" that strongSwan would read as %any.
    const degenerate = isValidIp4(gateway) ? degenerateAddressProblem(gateway) : undefined;
    if (degenerate) throw invalidParameterValue(texts.degenerateGateway(gateway, degenerate));
    if (remoteId !== undefined) throw invalidParameterValue(texts.remoteIdOnlyForDynamicPeer());
    if (sourceCidrList !== undefined) throw invalidParameterValue(texts.sourceCidrListOnlyForDynamicPeer());
    return { gateway };
  }
  if (gateway !== undefined && gateway !== "") throw invalidParameterValue(texts.gatewayForbiddenForDynamicPeer(gateway));
  if (remoteId === undefined || remoteId === "") throw invalidParameterValue(texts.remoteIdRequired());
  // Checked before the type: `0.0.0.0`, `::` or `%any` would make the router's responder match any peer.
  const wildcard = wildcardIdProblem(remoteId);
  if (wildcard) throw invalidParameterValue(texts.wildcardRemoteId(remoteId, wildcard));
  if (detectRemoteIdType(remoteId) === undefined) throw invalidParameterValue(texts.invalidRemoteId(remoteId));
  if (sourceCidrList !== undefined && !isValidCidrList(sourceCidrList)) {
    throw invalidParameterValue(texts.invalidSourceCidrList(sourceCidrList));
  }
  return {
    dynamicPeer: true,
    remoteId,
    ...(sourceCidrList !== undefined ? { sourceCidrList: cleanCidrList(sourceCidrList) } : {}),
  };
}

function checkNameUnique(world: World, accountId: number, name: string, selfId: number | undefined): void {
  const existing = world.all("customerGateways").find((g) => g.accountId === accountId && g.name === name);
  if (existing !== undefined && existing.id !== selfId) throw invalidParameterValue(texts.customerGatewayNameTaken(name));
}

/** `checkCustomerGatewayCidrList`: the subnet limit, then pairwise overlap. */
function checkCidrList(cidrList: string): void {
  const cidrs = javaSplit(cidrList, ",");
  if (cidrs.length > SUBNETS_LIMIT) throw invalidParameterValue(texts.tooManySubnets(SUBNETS_LIMIT));
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      if (cidrsOverlap(cidrs[i]!, cidrs[j]!)) throw invalidParameterValue(texts.subnetsOverlap(cidrs[i]!, cidrs[j]!));
    }
  }
}

/**
 * Validates and builds the stored fields. `existing` is the row being updated (undefined on create); its
 * `ikeVersion` survives an update that omits `ikeversion`.
 */
export function validateCustomerGateway(
  world: World,
  variant: ApiVariant,
  params: Params,
  ownerAccountId: number,
  existing: CustomerGateway | undefined,
): CustomerGatewayFields {
  const forUpdate = existing !== undefined;
  const peer = checkPeer(variant, params);
  const name = params.string("name") ?? `VPN-${peer.gateway ?? peer.remoteId ?? ""}`;
  const rawCidrList = params.string("cidrlist")!;
  if (!isValidCidrList(rawCidrList)) throw invalidParameterValue(texts.invalidCidrList(rawCidrList));
  const cidrList = cleanCidrList(rawCidrList);
  const ikePolicy = params.string("ikepolicy")!;
  if (!isValidS2SVpnPolicy("ike", ikePolicy)) throw invalidParameterValue(texts.invalidIkePolicy(ikePolicy, forUpdate));
  const espPolicy = params.string("esppolicy")!;
  if (!isValidS2SVpnPolicy("esp", espPolicy)) throw invalidParameterValue(texts.invalidEspPolicy(espPolicy, forUpdate));
  const ikeVersion = params.string("ikeversion") ?? existing?.ikeVersion ?? "ike";
  const ikeLifetime = params.number("ikelifetime") ?? DEFAULT_IKE_LIFETIME;
  if (ikeLifetime > MAX_LIFETIME_SECONDS) throw invalidParameterValue(texts.invalidIkeLifetime(ikeLifetime));
  const espLifetime = params.number("esplifetime") ?? DEFAULT_ESP_LIFETIME;
  if (espLifetime > MAX_LIFETIME_SECONDS) throw invalidParameterValue(texts.invalidEspLifetime(espLifetime));
  // Create checks the name before the subnet limit and overlaps; update does it after them (contract §2.7).
  if (forUpdate) {
    checkCidrList(cidrList);
    checkNameUnique(world, ownerAccountId, name, existing.id);
  } else {
    checkNameUnique(world, ownerAccountId, name, undefined);
    checkCidrList(cidrList);
  }
  return {
    name,
    ...(peer.gateway !== undefined ? { gateway: peer.gateway } : {}),
    cidrList,
    ipsecPsk: params.string("ipsecpsk")!,
    ikePolicy,
    espPolicy,
    ikeLifetime,
    espLifetime,
    dpd: params.boolean("dpd") ?? false,
    forceEncap: params.boolean("forceencap") ?? false,
    splitConnections: params.boolean("splitconnections") ?? false,
    ikeVersion,
    ...(peer.dynamicPeer ? { dynamicPeer: true } : {}),
    ...(peer.remoteId !== undefined ? { remoteId: peer.remoteId } : {}),
    ...(peer.sourceCidrList !== undefined ? { sourceCidrList: peer.sourceCidrList } : {}),
  };
}

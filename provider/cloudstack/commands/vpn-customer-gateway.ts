/**
 * Customer gateways: the peer side of a site-to-site VPN (contract §1.2), with the dynamic-peer extension
 * (`remoteId`, `dynamicPeer`, `sourceCidrList`) sent only when set.
 */
import type { CloudStackClient } from "../client";
import { type AsyncCreateRef, type AsyncJobRef, createEntity, isAsyncJobRef, type NoWaitOptions, runAsyncCommand, toApiParams, type WaitOptions } from "../async-command";
import { listAll, type ListSpec, type PaginateOptions } from "../paginate";
import { type AsyncJobResult, type VpnCustomerGateway, vpnCustomerGatewaySchema } from "../responses";
import { parseResponse } from "../parse";
import type { OwnerParams, ListParams } from "./common";

export interface VpnCustomerGatewayParams {
  /**
   * Unique per account; also the key used to find the gateway after an ambiguous create.
   *
   * @default - CloudStack names it `VPN-<gateway>`
   */
  name?: string;
  /** Peer public IPv4 address or DNS name. Required by CloudStack unless `dynamicPeer` is true (extension). */
  gateway?: string;
  /** Peer subnets; an array is sent comma-separated. */
  cidrList: string | readonly string[];
  /** Pre-shared key. Never logged, never in an error text. */
  ipsecPsk: string;
  /** e.g. `aes256-sha256;modp2048` (a DH group is required for IKE). */
  ikePolicy: string;
  /** e.g. `aes256-sha256` or `aes256-sha256;modp2048` (PFS). */
  espPolicy: string;
  /** @default 86400 */
  ikeLifetime?: number;
  /** @default 3600 */
  espLifetime?: number;
  /** @default false */
  dpd?: boolean;
  /** @default false */
  forceEncap?: boolean;
  /** @default false */
  splitConnections?: boolean;
  /** `ike`, `ikev1` or `ikev2`. @default - `ike` on create; kept on update */
  ikeVersion?: string;
  /** Dynamic-peer extension: the peer's IKE identity (`rightid`). */
  remoteId?: string;
  /** Dynamic-peer extension: accept the peer from any address (`right=%any`), authenticated by `remoteId`. */
  dynamicPeer?: boolean;
  /** Dynamic-peer extension: source CIDRs allowed to reach UDP 500/4500 and ESP. */
  sourceCidrList?: string | readonly string[];
}

export type CreateVpnCustomerGatewayParams = VpnCustomerGatewayParams & OwnerParams;
/** A full replace (contract §6.3): omitted optional fields go back to their defaults. */
export type UpdateVpnCustomerGatewayParams = VpnCustomerGatewayParams & Omit<OwnerParams, "projectId"> & { id: string };
export interface ListVpnCustomerGatewaysParams extends ListParams {
  id?: string;
}

export const VPN_CUSTOMER_GATEWAYS: ListSpec<typeof vpnCustomerGatewaySchema> = {
  command: "listVpnCustomerGateways",
  itemKey: "vpncustomergateway",
  schema: vpnCustomerGatewaySchema,
};

export function listVpnCustomerGateways(
  client: CloudStackClient,
  params: ListVpnCustomerGatewaysParams = {},
  options?: PaginateOptions,
): Promise<VpnCustomerGateway[]> {
  return listAll(client, VPN_CUSTOMER_GATEWAYS, toApiParams(params), options);
}

/** The gateway named `name` in the given (or the caller's) account, if any. */
export async function findVpnCustomerGatewayByName(
  client: CloudStackClient,
  name: string,
  owner: OwnerParams = {},
): Promise<VpnCustomerGateway | undefined> {
  // `keyword` is a LIKE filter; the exact match is ours.
  const candidates = await listVpnCustomerGateways(client, { ...owner, keyword: name });
  return candidates.find((gateway) => gateway.name === name);
}

export function createVpnCustomerGateway(client: CloudStackClient, params: CreateVpnCustomerGatewayParams, options?: WaitOptions): Promise<VpnCustomerGateway>;
export function createVpnCustomerGateway(client: CloudStackClient, params: CreateVpnCustomerGatewayParams, options: NoWaitOptions): Promise<AsyncCreateRef>;
export function createVpnCustomerGateway(
  client: CloudStackClient,
  params: CreateVpnCustomerGatewayParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnCustomerGateway | AsyncCreateRef> {
  const name = params.name ?? (params.gateway !== undefined ? `VPN-${params.gateway}` : undefined);
  const owner = { account: params.account, domainId: params.domainId, projectId: params.projectId };
  return createEntity(
    client,
    {
      command: "createVpnCustomerGateway",
      objectName: "vpncustomergateway",
      schema: vpnCustomerGatewaySchema,
      ...(name !== undefined ? { lookup: () => findVpnCustomerGatewayByName(client, name, owner) } : {}),
      getById: (id) => getVpnCustomerGateway(client, id),
    },
    toApiParams(params),
    options,
  );
}

export async function getVpnCustomerGateway(client: CloudStackClient, id: string): Promise<VpnCustomerGateway | undefined> {
  return (await listVpnCustomerGateways(client, { id }))[0];
}

export function updateVpnCustomerGateway(client: CloudStackClient, params: UpdateVpnCustomerGatewayParams, options?: WaitOptions): Promise<VpnCustomerGateway>;
export function updateVpnCustomerGateway(client: CloudStackClient, params: UpdateVpnCustomerGatewayParams, options: NoWaitOptions): Promise<AsyncJobRef>;
export async function updateVpnCustomerGateway(
  client: CloudStackClient,
  params: UpdateVpnCustomerGatewayParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnCustomerGateway | AsyncJobRef> {
  const result = await runAsyncCommand(client, "updateVpnCustomerGateway", toApiParams(params), options);
  if (isAsyncJobRef(result)) return result;
  return entityOrLookup(client, result, params.id);
}

export function deleteVpnCustomerGateway(client: CloudStackClient, id: string, options?: WaitOptions): Promise<AsyncJobResult>;
export function deleteVpnCustomerGateway(client: CloudStackClient, id: string, options: NoWaitOptions): Promise<AsyncJobRef>;
export function deleteVpnCustomerGateway(client: CloudStackClient, id: string, options: WaitOptions | NoWaitOptions = {}): Promise<AsyncJobResult | AsyncJobRef> {
  return runAsyncCommand(client, "deleteVpnCustomerGateway", { id }, options, async () => (await getVpnCustomerGateway(client, id)) === undefined);
}

async function entityOrLookup(client: CloudStackClient, job: AsyncJobResult, id: string): Promise<VpnCustomerGateway> {
  const raw = job.jobresult?.vpncustomergateway;
  if (raw !== undefined) return parseResponse(vpnCustomerGatewaySchema, raw, "updateVpnCustomerGateway", "jobresult.vpncustomergateway");
  const listed = await getVpnCustomerGateway(client, id);
  return listed ?? parseResponse(vpnCustomerGatewaySchema, { id }, "updateVpnCustomerGateway");
}

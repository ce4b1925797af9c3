/** VPN gateways: the VPC side of a site-to-site VPN, one per VPC (contract §1.2, §2.3). */
import type { CloudStackClient } from "../client";
import { type AsyncCreateRef, type AsyncJobRef, createEntity, isAsyncJobRef, type NoWaitOptions, runAsyncCommand, toApiParams, type WaitOptions } from "../async-command";
import { listAll, type ListSpec, type PaginateOptions } from "../paginate";
import { type AsyncJobResult, type VpnGateway, vpnGatewaySchema } from "../responses";
import { CloudStackResponseError } from "../errors";
import type { ListParams } from "./common";

export interface CreateVpnGatewayParams {
  vpcId: string;
  /**
   * Public IP for the gateway (CloudStack 4.21+).
   *
   * @default - the VPC's source-NAT IP
   */
  ipAddressId?: string;
  /** Admin only. @default true */
  forDisplay?: boolean;
}
export interface UpdateVpnGatewayParams {
  id: string;
  /** Replaces the gateway's uuid. */
  customId?: string;
  /** Admin only. */
  forDisplay?: boolean;
}
export interface ListVpnGatewaysParams extends ListParams {
  id?: string;
  vpcId?: string;
  forDisplay?: boolean;
}

export const VPN_GATEWAYS: ListSpec<typeof vpnGatewaySchema> = { command: "listVpnGateways", itemKey: "vpngateway", schema: vpnGatewaySchema };

export function listVpnGateways(client: CloudStackClient, params: ListVpnGatewaysParams = {}, options?: PaginateOptions): Promise<VpnGateway[]> {
  return listAll(client, VPN_GATEWAYS, toApiParams(params), options);
}

export async function getVpnGateway(client: CloudStackClient, id: string): Promise<VpnGateway | undefined> {
  return (await listVpnGateways(client, { id, listAll: true }))[0];
}

/** The VPC's gateway (CloudStack allows one per VPC), whoever owns it. */
export async function findVpnGatewayByVpc(client: CloudStackClient, vpcId: string): Promise<VpnGateway | undefined> {
  return (await listVpnGateways(client, { vpcId, listAll: true }))[0];
}

export function createVpnGateway(client: CloudStackClient, params: CreateVpnGatewayParams, options?: WaitOptions): Promise<VpnGateway>;
export function createVpnGateway(client: CloudStackClient, params: CreateVpnGatewayParams, options: NoWaitOptions): Promise<AsyncCreateRef>;
export function createVpnGateway(
  client: CloudStackClient,
  params: CreateVpnGatewayParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnGateway | AsyncCreateRef> {
  return createEntity(
    client,
    {
      command: "createVpnGateway",
      objectName: "vpngateway",
      schema: vpnGatewaySchema,
      lookup: () => findVpnGatewayByVpc(client, params.vpcId),
      getById: (id) => getVpnGateway(client, id),
    },
    toApiParams(params),
    options,
  );
}

/** CloudStack's job for this command returns no object (contract §6.4), so the gateway is read back. */
export function updateVpnGateway(client: CloudStackClient, params: UpdateVpnGatewayParams, options?: WaitOptions): Promise<VpnGateway>;
export function updateVpnGateway(client: CloudStackClient, params: UpdateVpnGatewayParams, options: NoWaitOptions): Promise<AsyncJobRef>;
export async function updateVpnGateway(
  client: CloudStackClient,
  params: UpdateVpnGatewayParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnGateway | AsyncJobRef> {
  const result = await runAsyncCommand(client, "updateVpnGateway", toApiParams(params), options);
  if (isAsyncJobRef(result)) return result;
  const id = params.customId ?? params.id;
  const gateway = await getVpnGateway(client, id);
  if (gateway === undefined) throw new CloudStackResponseError("updateVpnGateway", `job succeeded but VPN gateway ${id} is not listed`);
  return gateway;
}

export function deleteVpnGateway(client: CloudStackClient, id: string, options?: WaitOptions): Promise<AsyncJobResult>;
export function deleteVpnGateway(client: CloudStackClient, id: string, options: NoWaitOptions): Promise<AsyncJobRef>;
export function deleteVpnGateway(client: CloudStackClient, id: string, options: WaitOptions | NoWaitOptions = {}): Promise<AsyncJobResult | AsyncJobRef> {
  return runAsyncCommand(client, "deleteVpnGateway", { id }, options, async () => (await getVpnGateway(client, id)) === undefined);
}

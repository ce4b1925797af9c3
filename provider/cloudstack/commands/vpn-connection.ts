/** VPN connections: a VPN gateway joined to a customer gateway, one per pair (contract §1.2, §2.4–2.6). */
import type { CloudStackClient } from "../client";
import { type AsyncCreateRef, type AsyncJobRef, createEntity, isAsyncJobRef, type NoWaitOptions, runAsyncCommand, toApiParams, type WaitOptions } from "../async-command";
import { listAll, type ListSpec, type PaginateOptions } from "../paginate";
import { type AsyncJobResult, type VpnConnection, vpnConnectionSchema } from "../responses";
import { parseResponse } from "../parse";
import { CloudStackResponseError } from "../errors";
import type { ListParams } from "./common";

export interface CreateVpnConnectionParams {
  s2sVpnGatewayId: string;
  s2sCustomerGatewayId: string;
  /**
   * CloudStack waits for the peer to initiate and reports `Disconnected` until an SA is seen.
   *
   * @default false
   */
  passive?: boolean;
  /** Admin only. @default true */
  forDisplay?: boolean;
}
export interface UpdateVpnConnectionParams {
  id: string;
  customId?: string;
  forDisplay?: boolean;
}
export interface ResetVpnConnectionParams {
  id: string;
  account?: string;
  domainId?: string;
}
export interface ListVpnConnectionsParams extends ListParams {
  id?: string;
  vpcId?: string;
  forDisplay?: boolean;
}

export const VPN_CONNECTIONS: ListSpec<typeof vpnConnectionSchema> = { command: "listVpnConnections", itemKey: "vpnconnection", schema: vpnConnectionSchema };

export function listVpnConnections(client: CloudStackClient, params: ListVpnConnectionsParams = {}, options?: PaginateOptions): Promise<VpnConnection[]> {
  return listAll(client, VPN_CONNECTIONS, toApiParams(params), options);
}

export async function getVpnConnection(client: CloudStackClient, id: string): Promise<VpnConnection | undefined> {
  return (await listVpnConnections(client, { id, listAll: true }))[0];
}

/** The connection of this (VPN gateway, customer gateway) pair; CloudStack allows one. */
export async function findVpnConnectionByGateways(
  client: CloudStackClient,
  s2sVpnGatewayId: string,
  s2sCustomerGatewayId: string,
): Promise<VpnConnection | undefined> {
  // listVpnConnections filters by VPC, not by gateway: narrow to the VPC when the gateway still lists.
  const gateways = await client.call("listVpnGateways", { id: s2sVpnGatewayId, listall: true });
  const vpcId = Array.isArray(gateways.vpngateway) ? (gateways.vpngateway[0] as { vpcid?: unknown } | undefined)?.vpcid : undefined;
  const connections = await listVpnConnections(client, { listAll: true, ...(typeof vpcId === "string" ? { vpcId } : {}) });
  return connections.find((c) => c.s2svpngatewayid === s2sVpnGatewayId && c.s2scustomergatewayid === s2sCustomerGatewayId);
}

/**
 * Creates and starts the connection. The row exists from the moment CloudStack accepts the command, so a failed
 * start job (e.g. 534) leaves it in `Error`: the thrown `CloudStackAsyncJobError` carries its `entityId`.
 */
export function createVpnConnection(client: CloudStackClient, params: CreateVpnConnectionParams, options?: WaitOptions): Promise<VpnConnection>;
export function createVpnConnection(client: CloudStackClient, params: CreateVpnConnectionParams, options: NoWaitOptions): Promise<AsyncCreateRef>;
export function createVpnConnection(
  client: CloudStackClient,
  params: CreateVpnConnectionParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnConnection | AsyncCreateRef> {
  return createEntity(
    client,
    {
      command: "createVpnConnection",
      objectName: "vpnconnection",
      schema: vpnConnectionSchema,
      lookup: () => findVpnConnectionByGateways(client, params.s2sVpnGatewayId, params.s2sCustomerGatewayId),
      getById: (id) => getVpnConnection(client, id),
    },
    toApiParams(params),
    options,
  );
}

export function updateVpnConnection(client: CloudStackClient, params: UpdateVpnConnectionParams, options?: WaitOptions): Promise<VpnConnection>;
export function updateVpnConnection(client: CloudStackClient, params: UpdateVpnConnectionParams, options: NoWaitOptions): Promise<AsyncJobRef>;
export async function updateVpnConnection(
  client: CloudStackClient,
  params: UpdateVpnConnectionParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnConnection | AsyncJobRef> {
  const result = await runAsyncCommand(client, "updateVpnConnection", toApiParams(params), options);
  if (isAsyncJobRef(result)) return result;
  return connectionFromJob(client, "updateVpnConnection", result, params.customId ?? params.id);
}

/** Stops and restarts the connection (from any state on current CloudStack; classic refuses `Pending`). */
export function resetVpnConnection(client: CloudStackClient, params: ResetVpnConnectionParams, options?: WaitOptions): Promise<VpnConnection>;
export function resetVpnConnection(client: CloudStackClient, params: ResetVpnConnectionParams, options: NoWaitOptions): Promise<AsyncJobRef>;
export async function resetVpnConnection(
  client: CloudStackClient,
  params: ResetVpnConnectionParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<VpnConnection | AsyncJobRef> {
  const result = await runAsyncCommand(client, "resetVpnConnection", toApiParams(params), options);
  if (isAsyncJobRef(result)) return result;
  return connectionFromJob(client, "resetVpnConnection", result, params.id);
}

export function deleteVpnConnection(client: CloudStackClient, id: string, options?: WaitOptions): Promise<AsyncJobResult>;
export function deleteVpnConnection(client: CloudStackClient, id: string, options: NoWaitOptions): Promise<AsyncJobRef>;
export function deleteVpnConnection(client: CloudStackClient, id: string, options: WaitOptions | NoWaitOptions = {}): Promise<AsyncJobResult | AsyncJobRef> {
  return runAsyncCommand(client, "deleteVpnConnection", { id }, options, async () => (await getVpnConnection(client, id)) === undefined);
}

async function connectionFromJob(client: CloudStackClient, command: string, job: AsyncJobResult, id: string): Promise<VpnConnection> {
  const raw = job.jobresult?.vpnconnection;
  if (raw !== undefined) return parseResponse(vpnConnectionSchema, raw, command, "jobresult.vpnconnection");
  const listed = await getVpnConnection(client, id);
  if (listed === undefined) throw new CloudStackResponseError(command, `job succeeded but VPN connection ${id} is not listed`);
  return listed;
}

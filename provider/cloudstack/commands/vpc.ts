/**
 * What the provider needs of VPCs and their surroundings: the VPC a VPN gateway attaches to, its public
 * (source-NAT) IP, zones and VPC offerings. Command names are CloudStack's own spelling (`createVPC`, `listVPCs`).
 */
import type { CloudStackClient } from "../client";
import { type AsyncCreateRef, type AsyncJobRef, createEntity, type NoWaitOptions, runAsyncCommand, toApiParams, type WaitOptions } from "../async-command";
import { listAll, type ListSpec, type PaginateOptions } from "../paginate";
import {
  type AsyncJobResult,
  type PublicIpAddress,
  publicIpAddressSchema,
  type Vpc,
  type VpcOffering,
  vpcOfferingSchema,
  vpcSchema,
  type Zone,
  zoneSchema,
} from "../responses";
import type { ListParams, OwnerParams } from "./common";

export interface CreateVpcParams extends OwnerParams {
  name: string;
  /** @default - the name */
  displayText?: string;
  /** The VPC super-CIDR, e.g. `10.1.0.0/16`. */
  cidr: string;
  vpcOfferingId: string;
  zoneId: string;
  networkDomain?: string;
  /** @default true */
  start?: boolean;
}
export interface ListVpcsParams extends ListParams {
  id?: string;
  name?: string;
  zoneId?: string;
  state?: string;
}
export interface ListPublicIpAddressesParams extends ListParams {
  id?: string;
  vpcId?: string;
  ipAddress?: string;
  isSourceNat?: boolean;
  zoneId?: string;
  associatedNetworkId?: string;
}
export interface ListZonesParams {
  id?: string;
  name?: string;
  available?: boolean;
}
export interface ListVpcOfferingsParams {
  id?: string;
  name?: string;
  zoneId?: string;
  isDefault?: boolean;
}

export const VPCS: ListSpec<typeof vpcSchema> = { command: "listVPCs", itemKey: "vpc", schema: vpcSchema };
export const PUBLIC_IP_ADDRESSES: ListSpec<typeof publicIpAddressSchema> = { command: "listPublicIpAddresses", itemKey: "publicipaddress", schema: publicIpAddressSchema };
export const ZONES: ListSpec<typeof zoneSchema> = { command: "listZones", itemKey: "zone", schema: zoneSchema };
export const VPC_OFFERINGS: ListSpec<typeof vpcOfferingSchema> = { command: "listVPCOfferings", itemKey: "vpcoffering", schema: vpcOfferingSchema };

export function listVpcs(client: CloudStackClient, params: ListVpcsParams = {}, options?: PaginateOptions): Promise<Vpc[]> {
  return listAll(client, VPCS, toApiParams(params), options);
}
export function listPublicIpAddresses(client: CloudStackClient, params: ListPublicIpAddressesParams = {}, options?: PaginateOptions): Promise<PublicIpAddress[]> {
  return listAll(client, PUBLIC_IP_ADDRESSES, toApiParams(params), options);
}
export function listZones(client: CloudStackClient, params: ListZonesParams = {}, options?: PaginateOptions): Promise<Zone[]> {
  return listAll(client, ZONES, toApiParams(params), options);
}
export function listVpcOfferings(client: CloudStackClient, params: ListVpcOfferingsParams = {}, options?: PaginateOptions): Promise<VpcOffering[]> {
  return listAll(client, VPC_OFFERINGS, toApiParams(params), options);
}

export async function getVpc(client: CloudStackClient, id: string): Promise<Vpc | undefined> {
  return (await listVpcs(client, { id, listAll: true }))[0];
}

/**
 * VPC names are not unique in CloudStack, so there is no key to find a VPC by after an ambiguous failure: such a
 * failure is thrown, never resent (a resend could make a second VPC).
 */
export function createVpc(client: CloudStackClient, params: CreateVpcParams, options?: WaitOptions): Promise<Vpc>;
export function createVpc(client: CloudStackClient, params: CreateVpcParams, options: NoWaitOptions): Promise<AsyncCreateRef>;
export function createVpc(client: CloudStackClient, params: CreateVpcParams, options: WaitOptions | NoWaitOptions = {}): Promise<Vpc | AsyncCreateRef> {
  return createEntity(
    client,
    { command: "createVPC", objectName: "vpc", schema: vpcSchema, getById: (id) => getVpc(client, id) },
    toApiParams(params),
    options,
  );
}

export function deleteVpc(client: CloudStackClient, id: string, options?: WaitOptions): Promise<AsyncJobResult>;
export function deleteVpc(client: CloudStackClient, id: string, options: NoWaitOptions): Promise<AsyncJobRef>;
export function deleteVpc(client: CloudStackClient, id: string, options: WaitOptions | NoWaitOptions = {}): Promise<AsyncJobResult | AsyncJobRef> {
  return runAsyncCommand(client, "deleteVPC", { id }, options, async () => (await getVpc(client, id)) === undefined);
}

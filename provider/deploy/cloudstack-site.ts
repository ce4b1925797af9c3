/**
 * A site as CloudStack objects: VPN gateway of the VPC, customer gateway (static peers, and dynamic peers on a
 * CloudStack with the dynamic-peer API), and the connection between them. Each `ensure` converges (create, update
 * or nothing) and says what it did; `remove` takes the connection and the customer gateway away, and tolerates
 * anything already gone. The VPN gateway is left: it is the VPC's, and other sites' connections use it.
 */
import {
  createVpnConnection,
  createVpnCustomerGateway,
  createVpnGateway,
  deleteVpnCustomerGateway,
  findVpnConnectionByGateways,
  findVpnCustomerGatewayByName,
  findVpnGatewayByVpc,
  getVpnCustomerGateway,
  updateVpnCustomerGateway,
  type CloudStackClient,
  type VpnGateway,
} from "../cloudstack";
import type { CustomerGatewaySpec } from "../model/customer-gateway";
import { deleteIfPresent, isAlreadyExists, removeConnection } from "./cloudstack-objects";
import { apiParams, differingFields, owner } from "./customer-gateway-params";

export interface SiteObjects {
  vpcId: string;
  spec: CustomerGatewaySpec;
  passive: boolean;
  forDisplay?: boolean;
}

/** The VPC's VPN gateway, created when missing (CloudStack allows one per VPC). */
export async function ensureVpnGateway(client: CloudStackClient, vpcId: string, actions: string[]): Promise<VpnGateway> {
  const found = await findVpnGatewayByVpc(client, vpcId);
  if (found) return found;
  try {
    const created = await createVpnGateway(client, { vpcId });
    actions.push(`created VPN gateway ${created.id} (${created.publicip ?? "?"}) for VPC ${vpcId}`);
    return created;
  } catch (error) {
    // Another run created it meanwhile: take that one.
    const raced = isAlreadyExists(error) ? await findVpnGatewayByVpc(client, vpcId) : undefined;
    if (raced) return raced;
    throw error;
  }
}

/** Creates the customer gateway, or updates it (a full replace) when CloudStack's differs; returns its id. */
async function ensureCustomerGateway(client: CloudStackClient, spec: CustomerGatewaySpec, actions: string[]): Promise<string> {
  const found = await findVpnCustomerGatewayByName(client, spec.name, owner(spec));
  if (!found) {
    const created = await createVpnCustomerGateway(client, apiParams(spec));
    actions.push(`created customer gateway ${spec.name} (${created.id})`);
    return created.id;
  }
  const differing = differingFields(spec, found);
  if (differing.length > 0) {
    const { projectId: _p, ...updatable } = apiParams(spec);
    await updateVpnCustomerGateway(client, { ...updatable, id: found.id });
    actions.push(`updated customer gateway ${spec.name} (${found.id}): ${differing.join(", ")}`);
  }
  return found.id;
}

/** Everything the site needs on CloudStack; `actions` is empty when it was all there already. */
export async function ensureSiteObjects(client: CloudStackClient, site: SiteObjects): Promise<{ actions: string[]; vpnGateway: VpnGateway }> {
  const actions: string[] = [];
  const vpnGateway = await ensureVpnGateway(client, site.vpcId, actions);
  const customerGatewayId = await ensureCustomerGateway(client, site.spec, actions);
  const conn = await findVpnConnectionByGateways(client, vpnGateway.id, customerGatewayId);
  if (conn && (conn.passive ?? false) !== site.passive) {
    // CloudStack cannot change `passive` in place.
    await removeConnection(client, conn.id);
    actions.push(`removed connection ${conn.id} (passive changes only by re-creation)`);
  }
  if (!conn || (conn.passive ?? false) !== site.passive) {
    const created = await createVpnConnection(client, { s2sVpnGatewayId: vpnGateway.id, s2sCustomerGatewayId: customerGatewayId, passive: site.passive, ...(site.forDisplay !== undefined ? { forDisplay: site.forDisplay } : {}) });
    actions.push(`created connection ${created.id} (${created.state ?? "?"})`);
  }
  return { actions, vpnGateway };
}

/** Removes the site's connection and customer gateway (found by name); what is gone already is skipped. */
export async function removeSiteObjects(client: CloudStackClient, vpcId: string, spec: Pick<CustomerGatewaySpec, "name" | "account" | "domainId" | "projectId">): Promise<string[]> {
  const actions: string[] = [];
  const cgw = await findVpnCustomerGatewayByName(client, spec.name, owner(spec));
  if (!cgw) return actions;
  const vgw = await findVpnGatewayByVpc(client, vpcId);
  const conn = vgw ? await findVpnConnectionByGateways(client, vgw.id, cgw.id) : undefined;
  if (conn) {
    await removeConnection(client, conn.id);
    actions.push(`deleted connection ${conn.id}`);
  }
  if (await deleteIfPresent(() => getVpnCustomerGateway(client, cgw.id), () => deleteVpnCustomerGateway(client, cgw.id))) actions.push(`deleted customer gateway ${spec.name} (${cgw.id})`);
  return actions;
}

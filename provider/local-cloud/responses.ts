/**
 * Response objects as CloudStack's Gson writes them (contract §1.3): null fields omitted, admin-only `fordisplay`
 * only for the root admin, owner fields from the account and domain.
 */
import type { Connection, CustomerGateway, PublicIp, Vpc, VpnGateway } from "./state";
import type { ApiVariant } from "./types";
import type { World } from "./world";

export interface RenderContext {
  world: World;
  variant: ApiVariant;
  isRootAdmin: boolean;
}

function owner(ctx: RenderContext, row: { accountId: number; domainId: number }): Record<string, unknown> {
  const domain = ctx.world.domainOf(row.domainId);
  return { account: ctx.world.account(row.accountId).name, domainid: domain.uuid, domain: domain.name, domainpath: domain.path };
}

const optional = (key: string, value: unknown): Record<string, unknown> => (value === undefined ? {} : { [key]: value });

function dynamicPeerFields(ctx: RenderContext, gw: CustomerGateway): Record<string, unknown> {
  if (ctx.variant !== "dynamic-peer") return {};
  return { ...optional("remoteid", gw.remoteId), dynamicpeer: gw.dynamicPeer ?? false, ...optional("sourcecidrlist", gw.sourceCidrList) };
}

export function renderCustomerGateway(ctx: RenderContext, gw: CustomerGateway): Record<string, unknown> {
  return {
    id: gw.uuid,
    name: gw.name,
    ...optional("gateway", gw.gateway),
    cidrlist: gw.cidrList,
    // Marked sensitive in CloudStack but still returned (the flag only affects logging).
    ipsecpsk: gw.ipsecPsk,
    ikepolicy: gw.ikePolicy,
    esppolicy: gw.espPolicy,
    ikelifetime: gw.ikeLifetime,
    esplifetime: gw.espLifetime,
    dpd: gw.dpd,
    forceencap: gw.forceEncap,
    ...owner(ctx, gw),
    ...optional("removed", gw.removed),
    splitconnections: gw.splitConnections,
    ikeversion: gw.ikeVersion,
    ...dynamicPeerFields(ctx, gw),
    hasannotations: false,
  };
}

export function renderVpnGateway(ctx: RenderContext, gw: VpnGateway): Record<string, unknown> {
  const ip = ctx.world.state.publicIps.find((p) => p.id === gw.publicIpId);
  const vpc = ctx.world.state.vpcs.find((v) => v.id === gw.vpcId);
  return {
    id: gw.uuid,
    ...optional("publicip", ip?.address),
    ...optional("vpcid", vpc?.uuid),
    ...optional("vpcname", vpc?.name),
    ...owner(ctx, gw),
    ...optional("removed", gw.removed),
    ...(ctx.isRootAdmin ? { fordisplay: gw.forDisplay } : {}),
  };
}

export function renderConnection(ctx: RenderContext, c: Connection): Record<string, unknown> {
  const vgw = ctx.world.state.vpnGateways.find((g) => g.id === c.vpnGatewayId);
  const cgw = ctx.world.state.customerGateways.find((g) => g.id === c.customerGatewayId);
  const ip = vgw && ctx.world.state.publicIps.find((p) => p.id === vgw.publicIpId);
  return {
    id: c.uuid,
    ...optional("s2svpngatewayid", vgw?.uuid),
    ...optional("publicip", ip?.address),
    ...optional("s2scustomergatewayid", cgw?.uuid),
    ...(cgw
      ? {
          ...optional("gateway", cgw.gateway),
          cidrlist: cgw.cidrList,
          ipsecpsk: cgw.ipsecPsk,
          ikepolicy: cgw.ikePolicy,
          esppolicy: cgw.espPolicy,
          ikelifetime: cgw.ikeLifetime,
          esplifetime: cgw.espLifetime,
          dpd: cgw.dpd,
          forceencap: cgw.forceEncap,
          ikeversion: cgw.ikeVersion,
          splitconnections: cgw.splitConnections,
          ...dynamicPeerFields(ctx, cgw),
        }
      : {}),
    state: c.state,
    passive: c.passive,
    ...owner(ctx, c),
    created: c.created,
    ...optional("removed", c.removed),
    ...(ctx.isRootAdmin ? { fordisplay: c.forDisplay } : {}),
  };
}

export function renderVpc(ctx: RenderContext, vpc: Vpc): Record<string, unknown> {
  const zone = ctx.world.state.zones.find((z) => z.id === vpc.zoneId);
  const offering = ctx.world.state.vpcOfferings.find((o) => o.id === vpc.vpcOfferingId);
  return {
    id: vpc.uuid,
    name: vpc.name,
    displaytext: vpc.displayText,
    state: "Enabled",
    zoneid: zone?.uuid,
    zonename: zone?.name,
    cidr: vpc.cidr,
    vpcofferingid: offering?.uuid,
    vpcofferingname: offering?.name,
    ...owner(ctx, vpc),
    created: vpc.created,
    restartrequired: false,
    redundantvpcrouter: false,
    distributedvpcrouter: false,
    regionlevelvpc: false,
    network: [],
    ...(ctx.isRootAdmin ? { fordisplay: true } : {}),
  };
}

export function renderPublicIp(ctx: RenderContext, ip: PublicIp): Record<string, unknown> {
  const zone = ctx.world.state.zones.find((z) => z.id === ip.zoneId);
  const vpc = ctx.world.state.vpcs.find((v) => v.id === ip.vpcId);
  return {
    id: ip.uuid,
    ipaddress: ip.address,
    allocated: ip.created,
    zoneid: zone?.uuid,
    zonename: zone?.name,
    issourcenat: ip.sourceNat,
    ...owner(ctx, ip),
    forvirtualnetwork: true,
    isstaticnat: false,
    issystem: false,
    ...optional("vpcid", vpc?.uuid),
    ...optional("vpcname", vpc?.name),
    state: "Allocated",
    ...(ctx.isRootAdmin ? { fordisplay: true } : {}),
  };
}

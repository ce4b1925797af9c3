/** createVpnGateway, updateVpnGateway, deleteVpnGateway, listVpnGateways (contract §2.3, §2.8). */
import { checkAccess, listBody, listScope } from "../access";
import * as texts from "../error-texts";
import { cloudRuntime, invalidParameterValue, serverApi } from "../errors";
import { renderVpnGateway } from "../responses";
import type { VpnGateway } from "../state";
import { sourceNatIpsOf } from "../vpc-world";
import { describeVpc, describeVpnGateway } from "../world";
import { asyncResult, syncResult, type CommandContext, type CommandResult } from "./context";

export function createVpnGateway(ctx: CommandContext): CommandResult {
  const vpcId = ctx.params.id("vpcid");
  const vpc = ctx.world.live("vpcs", vpcId);
  if (!vpc) throw invalidParameterValue(texts.invalidVpc(vpcId));
  checkAccess(ctx.caller, vpc, describeVpc(vpc));
  if (ctx.world.all("vpnGateways").some((g) => g.vpcId === vpc.id)) throw invalidParameterValue(texts.vpnGatewayExists(describeVpc(vpc)));
  const sourceNat = sourceNatIpsOf(ctx.world, vpc.id);
  if (sourceNat.length !== 1) throw cloudRuntime(texts.noSourceNatIp(describeVpc(vpc)));
  const requested = ctx.params.number("ipaddressid");
  if (requested !== undefined && requested !== sourceNat[0]!.id) {
    const ip = ctx.world.state.publicIps.find((p) => p.id === requested)!;
    throw invalidParameterValue(texts.notSourceNatIp(ip.address));
  }
  const gw: VpnGateway = {
    ...ctx.world.identity("vpnGateways"),
    vpcId: vpc.id,
    publicIpId: sourceNat[0]!.id,
    accountId: vpc.accountId,
    domainId: vpc.domainId,
    forDisplay: ctx.params.boolean("fordisplay") ?? true,
  };
  ctx.world.state.vpnGateways.push(gw);
  ctx.world.persist();
  return asyncResult({
    entityId: gw.uuid,
    instanceType: "None",
    execute: async () => {
      const row = ctx.world.live("vpnGateways", gw.id);
      if (!row) throw serverApi(530, "Failed to create VPN gateway");
      return { kind: "object", objectName: "vpngateway", object: renderVpnGateway(ctx.render, row) };
    },
  });
}

/** `customid` replaces the uuid, as `BaseAsyncCustomIdCmd` does; a taken uuid is refused. */
export function applyCustomId(ctx: CommandContext, row: { uuid: string }, table: "vpnGateways" | "connections"): void {
  const customId = ctx.params.string("customid");
  if (customId === undefined) return;
  if ((ctx.world.state[table] as { uuid: string }[]).some((r) => r.uuid === customId && r !== row)) {
    throw invalidParameterValue(`UUID: ${customId} already exists so can't create/update with custom id`);
  }
  row.uuid = customId;
}

export function updateVpnGateway(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  return asyncResult({
    execute: async () => {
      const gw = ctx.world.live("vpnGateways", id);
      if (!gw) throw invalidParameterValue(texts.vpnGatewayNotFoundForUpdate(id));
      checkAccess(ctx.caller, gw, describeVpnGateway(gw));
      applyCustomId(ctx, gw, "vpnGateways");
      const forDisplay = ctx.params.boolean("fordisplay");
      if (forDisplay !== undefined) gw.forDisplay = forDisplay;
      ctx.world.persist();
      // CloudStack builds the response but never calls setResponseObject: no jobresult.
      return { kind: "none" };
    },
  });
}

export function deleteVpnGateway(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  return asyncResult({
    execute: async () => {
      const gw = ctx.world.live("vpnGateways", id);
      if (!gw) throw invalidParameterValue(texts.vpnGatewayNotFoundForDelete(id));
      checkAccess(ctx.caller, gw, describeVpnGateway(gw));
      if (ctx.world.all("connections").some((c) => c.vpnGatewayId === gw.id)) {
        throw invalidParameterValue(texts.vpnGatewayInUse(describeVpnGateway(gw)));
      }
      gw.removed = ctx.world.now();
      ctx.world.persist();
      return { kind: "success" };
    },
  });
}

export function listVpnGateways(ctx: CommandContext): CommandResult {
  const inScope = listScope(ctx.world, ctx.caller, ctx.params);
  const id = ctx.params.number("id");
  const vpcId = ctx.params.number("vpcid");
  const forDisplay = ctx.params.boolean("fordisplay");
  const rows = ctx.world
    .all("vpnGateways")
    .filter(
      (g) =>
        inScope(g) &&
        (id === undefined || g.id === id) &&
        (vpcId === undefined || g.vpcId === vpcId) &&
        (forDisplay === undefined || g.forDisplay === forDisplay),
    );
  return syncResult(listBody(rows, ctx.params, "vpngateway", (g) => renderVpnGateway(ctx.render, g)));
}


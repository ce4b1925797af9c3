/** createVpnCustomerGateway, updateVpnCustomerGateway, deleteVpnCustomerGateway, listVpnCustomerGateways. */
import { checkAccess, finalizeOwner, listBody, listScope } from "../access";
import { startConnection, stopConnection } from "../connection-lifecycle";
import * as texts from "../error-texts";
import { invalidParameterValue, serverApi } from "../errors";
import { renderCustomerGateway } from "../responses";
import type { CustomerGateway } from "../state";
import { describeCustomerGateway, describeVpnGateway } from "../world";
import { asyncResult, syncResult, type CommandContext, type CommandResult } from "./context";
import { validateCustomerGateway } from "./customer-gateway-rules";

function gatewayObject(ctx: CommandContext, id: number) {
  return async () => {
    const gw = ctx.world.live("customerGateways", id);
    if (!gw) throw serverApi(530, "Failed to create customer VPN gateway");
    return { kind: "object" as const, objectName: "vpncustomergateway", object: renderCustomerGateway(ctx.render, gw) };
  };
}

export function createVpnCustomerGateway(ctx: CommandContext): CommandResult {
  const owner = finalizeOwner(ctx.world, ctx.caller, ctx.params);
  const fields = validateCustomerGateway(ctx.world, ctx.variant, ctx.params, owner.id, undefined);
  const gw: CustomerGateway = { ...ctx.world.identity("customerGateways"), ...fields, accountId: owner.id, domainId: owner.domainId };
  ctx.world.state.customerGateways.push(gw);
  ctx.world.persist();
  return asyncResult({ entityId: gw.uuid, instanceType: "VpnCustomerGateway", execute: gatewayObject(ctx, gw.id) });
}

/** Two dynamic peers with one IKE identity on one VPN gateway cannot be told apart by the router. */
export function checkRemoteIdFree(ctx: CommandContext, remoteId: string, vpnGatewayId: number, selfId: number): void {
  for (const other of ctx.world.all("connections")) {
    if (other.vpnGatewayId !== vpnGatewayId || other.customerGatewayId === selfId) continue;
    const otherGw = ctx.world.live("customerGateways", other.customerGatewayId);
    if (otherGw?.dynamicPeer && otherGw.remoteId === remoteId) {
      const vgw = ctx.world.live("vpnGateways", vpnGatewayId)!;
      throw invalidParameterValue(texts.duplicateRemoteId(remoteId, describeVpnGateway(vgw)));
    }
  }
}

export function updateVpnCustomerGateway(ctx: CommandContext): CommandResult {
  finalizeOwner(ctx.world, ctx.caller, ctx.params); // only the event owner; errors still surface synchronously
  const id = ctx.params.id("id");
  return asyncResult({
    instanceType: "VpnCustomerGateway",
    execute: async () => {
      const gw = ctx.world.live("customerGateways", id);
      if (!gw) throw invalidParameterValue(texts.customerGatewayNotFoundForUpdate(id));
      checkAccess(ctx.caller, gw, describeCustomerGateway(gw));
      const fields = validateCustomerGateway(ctx.world, ctx.variant, ctx.params, gw.accountId, gw);
      const connections = ctx.world.all("connections").filter((c) => c.customerGatewayId === gw.id);
      if (fields.dynamicPeer && fields.remoteId !== undefined) {
        for (const conn of connections) checkRemoteIdFree(ctx, fields.remoteId, conn.vpnGatewayId, gw.id);
      }
      // Full replace: optional peer fields not in the new request must disappear from the row.
      for (const key of ["gateway", "remoteId", "sourceCidrList", "dynamicPeer"] as const) delete gw[key];
      Object.assign(gw, fields);
      ctx.world.persist();
      await setupVpnConnections(ctx, gw);
      return { kind: "object", objectName: "vpncustomergateway", object: renderCustomerGateway(ctx.render, gw) };
    },
  });
}

/** `setupVpnConnection` after an update: restart what runs, start what is down; failures are only logged. */
async function setupVpnConnections(ctx: CommandContext, gw: CustomerGateway): Promise<void> {
  for (const conn of ctx.world.all("connections").filter((c) => c.customerGatewayId === gw.id)) {
    if (!ctx.caller.isRootAdmin && conn.accountId !== ctx.caller.account.id) continue;
    if (conn.state === "Pending") continue;
    try {
      if (conn.state === "Connected" || conn.state === "Error" || conn.state === "Connecting") await stopConnection(ctx.env, conn);
      await startConnection(ctx.env, conn);
    } catch {
      // CloudStack logs ResourceUnavailableException here and still reports the update as successful.
    }
  }
}

export function deleteVpnCustomerGateway(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  // `@ACL(accessType = OperateEntry)` on `id`: the access check runs during parameter processing, synchronously.
  const target = ctx.world.state.customerGateways.find((g) => g.id === id)!;
  checkAccess(ctx.caller, target, describeCustomerGateway(target));
  return asyncResult({
    instanceType: "VpnCustomerGateway",
    execute: async () => {
      const gw = ctx.world.live("customerGateways", id);
      if (!gw) throw invalidParameterValue(texts.customerGatewayNotFoundForDelete(id));
      checkAccess(ctx.caller, gw, describeCustomerGateway(gw));
      if (ctx.world.all("connections").some((c) => c.customerGatewayId === gw.id)) {
        throw invalidParameterValue(texts.customerGatewayInUse(describeCustomerGateway(gw)));
      }
      gw.removed = ctx.world.now();
      ctx.world.persist();
      return { kind: "success" };
    },
  });
}

export function listVpnCustomerGateways(ctx: CommandContext): CommandResult {
  const inScope = listScope(ctx.world, ctx.caller, ctx.params);
  const id = ctx.params.number("id");
  const keyword = ctx.params.string("keyword")?.toLowerCase();
  const rows = ctx.world
    .all("customerGateways")
    .filter((g) => inScope(g) && (id === undefined || g.id === id) && (keyword === undefined || g.name.toLowerCase().includes(keyword)));
  return syncResult(listBody(rows, ctx.params, "vpncustomergateway", (g) => renderCustomerGateway(ctx.render, g)));
}

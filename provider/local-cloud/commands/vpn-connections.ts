/**
 * createVpnConnection, deleteVpnConnection, resetVpnConnection, updateVpnConnection, listVpnConnections
 * (contract §2.4–§2.6, main variant: `Connecting` after an active start, reset works from any state).
 */
import { checkAccess, finalizeOwner, listBody, listScope } from "../access";
import { startConnection, stopConnection } from "../connection-lifecycle";
import * as texts from "../error-texts";
import { invalidParameterValue } from "../errors";
import type { JobOutcome } from "../jobs";
import { renderConnection } from "../responses";
import type { Connection } from "../state";
import { cidrsOverlap } from "../validation/net-utils";
import { javaSplit } from "../validation/java-split";
import { describeConnection, describeCustomerGateway, describeVpc, describeVpnGateway } from "../world";
import { asyncResult, syncResult, type CommandContext, type CommandResult } from "./context";
import { checkRemoteIdFree } from "./customer-gateways";
import { applyCustomId } from "./vpn-gateways";

export const CONNECTIONS_PER_GATEWAY_LIMIT = 4;

function connectionObject(ctx: CommandContext, conn: Connection): JobOutcome {
  return { kind: "object", objectName: "vpnconnection", object: renderConnection(ctx.render, conn) };
}

export function createVpnConnection(ctx: CommandContext): CommandResult {
  const { world, caller } = ctx;
  const vgwId = ctx.params.id("s2svpngatewayid");
  const cgwId = ctx.params.id("s2scustomergatewayid");
  // getEntityOwnerId: the owner is the account of the VPN gateway's VPC.
  const vgwRow = world.state.vpnGateways.find((g) => g.id === vgwId)!;
  const ownerVpc = world.state.vpcs.find((v) => v.id === vgwRow.vpcId)!;
  checkAccess(caller, ownerVpc, describeVpc(ownerVpc));
  const cgw = world.live("customerGateways", cgwId);
  if (!cgw) throw invalidParameterValue(texts.customerGatewayNotFound(cgwId));
  checkAccess(caller, cgw, describeCustomerGateway(cgw));
  const vgw = world.live("vpnGateways", vgwId);
  if (!vgw) throw invalidParameterValue(texts.vpnGatewayNotFound(vgwId));
  checkAccess(caller, vgw, describeVpnGateway(vgw));
  if (cgw.accountId !== vgw.accountId || cgw.domainId !== vgw.domainId) throw invalidParameterValue(texts.differentOwners());
  const existing = world.all("connections");
  if (existing.some((c) => c.vpnGatewayId === vgw.id && c.customerGatewayId === cgw.id)) {
    throw invalidParameterValue(texts.connectionExists(describeCustomerGateway(cgw), describeVpnGateway(vgw)));
  }
  const vpc = world.live("vpcs", vgw.vpcId)!;
  const cidrs = javaSplit(cgw.cidrList, ",");
  for (const cidr of cidrs) {
    if (cidrsOverlap(cidr, vpc.cidr)) throw invalidParameterValue(texts.overlapsVpcCidr(describeCustomerGateway(cgw), cidr, vpc.cidr));
  }
  const onGateway = existing.filter((c) => c.vpnGatewayId === vgw.id);
  if (onGateway.length >= CONNECTIONS_PER_GATEWAY_LIMIT) throw invalidParameterValue(texts.tooManyConnections(CONNECTIONS_PER_GATEWAY_LIMIT));
  for (const other of onGateway) {
    const otherGw = world.state.customerGateways.find((g) => g.id === other.customerGatewayId)!;
    for (const oldCidr of javaSplit(otherGw.cidrList, ",")) {
      for (const cidr of cidrs) {
        if (cidrsOverlap(cidr, oldCidr)) throw invalidParameterValue(texts.overlapsOtherConnection(cidr, otherGw.name, oldCidr));
      }
    }
  }
  if (cgw.dynamicPeer && cgw.remoteId !== undefined) checkRemoteIdFree(ctx, cgw.remoteId, vgw.id, cgw.id);
  const conn: Connection = {
    ...world.identity("connections"),
    vpnGatewayId: vgw.id,
    customerGatewayId: cgw.id,
    state: "Pending",
    passive: ctx.params.boolean("passive") ?? false,
    forDisplay: ctx.params.boolean("fordisplay") ?? true,
    accountId: vgw.accountId,
    domainId: vgw.domainId,
  };
  world.state.connections.push(conn);
  world.persist();
  return asyncResult({
    entityId: conn.uuid,
    instanceType: "None",
    execute: async () => {
      await startConnection(ctx.env, conn);
      return connectionObject(ctx, conn);
    },
  });
}

function liveConnection(ctx: CommandContext, id: number, action: "delete" | "reset" | null): Connection {
  const conn = ctx.world.live("connections", id);
  if (!conn) throw invalidParameterValue(texts.connectionNotFound(id, action));
  checkAccess(ctx.caller, conn, describeConnection(conn));
  return conn;
}

export function deleteVpnConnection(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  return asyncResult({
    execute: async () => {
      const conn = liveConnection(ctx, id, "delete");
      if (conn.state !== "Pending") await stopConnection(ctx.env, conn);
      conn.state = "Removed";
      conn.removed = ctx.world.now();
      ctx.world.persist();
      return { kind: "success" };
    },
  });
}

export function resetVpnConnection(ctx: CommandContext): CommandResult {
  finalizeOwner(ctx.world, ctx.caller, ctx.params); // only the (odd) event owner; errors surface synchronously
  const id = ctx.params.id("id");
  return asyncResult({
    execute: async () => {
      const conn = liveConnection(ctx, id, "reset");
      // main: mark Disconnected and persist first, so a reset works from Pending too.
      conn.state = "Disconnected";
      ctx.world.persist();
      await stopConnection(ctx.env, conn);
      await startConnection(ctx.env, conn);
      return connectionObject(ctx, conn);
    },
  });
}

export function updateVpnConnection(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  return asyncResult({
    execute: async () => {
      const conn = liveConnection(ctx, id, null);
      applyCustomId(ctx, conn, "connections");
      const forDisplay = ctx.params.boolean("fordisplay");
      if (forDisplay !== undefined) conn.forDisplay = forDisplay;
      ctx.world.persist();
      return connectionObject(ctx, conn);
    },
  });
}

export function listVpnConnections(ctx: CommandContext): CommandResult {
  const inScope = listScope(ctx.world, ctx.caller, ctx.params);
  const id = ctx.params.number("id");
  const vpcId = ctx.params.number("vpcid");
  const forDisplay = ctx.params.boolean("fordisplay");
  const vpcOf = (c: Connection) => ctx.world.state.vpnGateways.find((g) => g.id === c.vpnGatewayId)?.vpcId;
  const rows = ctx.world
    .all("connections")
    .filter(
      (c) =>
        inScope(c) &&
        (id === undefined || c.id === id) &&
        (vpcId === undefined || vpcOf(c) === vpcId) &&
        (forDisplay === undefined || c.forDisplay === forDisplay),
    );
  return syncResult(listBody(rows, ctx.params, "vpnconnection", (c) => renderConnection(ctx.render, c)));
}

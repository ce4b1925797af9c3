/**
 * listRouters, rebootRouter, stopRouter, startRouter, restartVPC: delegated to the router implementation's
 * life-cycle (the netns router models each event; see docs/local-cloud-router-life.md). Without one, listRouters
 * is empty and the others fail as for an unknown router.
 */
import { checkAccess } from "../access";
import { invalidParameterValue, serverApi } from "../errors";
import type { RouterInfo } from "../types";
import { describeVpc } from "../world";
import { asyncResult, syncResult, type CommandContext, type CommandResult } from "./context";

function render(ctx: CommandContext, r: RouterInfo, vpcUuid: string): Record<string, unknown> {
  const vpc = ctx.world.all("vpcs").find((v) => v.uuid === vpcUuid);
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    vpcid: vpcUuid,
    ...(vpc ? { vpcname: vpc.name } : {}),
    publicip: r.publicIp,
    linklocalip: r.linkLocalIp,
    isredundantrouter: r.isRedundant,
    redundantstate: r.redundantState,
    role: "VIRTUAL_ROUTER",
    requiresupgrade: false,
  };
}

/** Every router of every live VPC, with the VPC's uuid. */
function allRouters(ctx: CommandContext): { router: RouterInfo; vpcUuid: string }[] {
  const life = ctx.env.router.lifecycle;
  if (!life) return [];
  return ctx.world.all("vpcs").flatMap((v) => life.listRouters(v.uuid).map((router) => ({ router, vpcUuid: v.uuid })));
}

function find(ctx: CommandContext): { router: RouterInfo; vpcUuid: string } {
  const id = ctx.params.string("id")!;
  const found = allRouters(ctx).find((r) => r.router.id === id);
  if (!found) throw invalidParameterValue(`Unable to find router by id ${id}.`);
  return found;
}

export function listRouters(ctx: CommandContext): CommandResult {
  const id = ctx.params.string("id");
  const vpcId = ctx.params.number("vpcid");
  const state = ctx.params.string("state");
  const vpcUuid = vpcId === undefined ? undefined : ctx.world.live("vpcs", vpcId)?.uuid;
  const rows = allRouters(ctx).filter((r) => (id === undefined || r.router.id === id) && (vpcUuid === undefined || r.vpcUuid === vpcUuid) && (state === undefined || r.router.state === state));
  if (rows.length === 0) return syncResult({});
  return syncResult({ count: rows.length, router: rows.map((r) => render(ctx, r.router, r.vpcUuid)) });
}

function routerJob(ctx: CommandContext, act: (routerId: string) => Promise<void>): CommandResult {
  const { router } = find(ctx);
  return asyncResult({
    instanceType: "DomainRouter",
    execute: async () => {
      await act(router.id);
      const now = allRouters(ctx).find((r) => r.router.id === router.id) ?? allRouters(ctx).find((r) => r.router.name === router.name);
      if (!now) throw serverApi(530, `Failed to find router ${router.id} after the operation`);
      return { kind: "object", objectName: "router", object: render(ctx, now.router, now.vpcUuid) };
    },
  });
}

export const rebootRouter = (ctx: CommandContext): CommandResult => routerJob(ctx, (id) => ctx.env.router.lifecycle!.rebootRouter(id));
export const stopRouter = (ctx: CommandContext): CommandResult => routerJob(ctx, (id) => ctx.env.router.lifecycle!.stopRouter(id));
export const startRouter = (ctx: CommandContext): CommandResult => routerJob(ctx, (id) => ctx.env.router.lifecycle!.startRouter(id));

export function restartVpc(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  const cleanup = ctx.params.boolean("cleanup") === true;
  return asyncResult({
    instanceType: "Vpc",
    execute: async () => {
      const vpc = ctx.world.live("vpcs", id);
      if (!vpc) throw invalidParameterValue(`Unable to find VPC by id ${id}`);
      checkAccess(ctx.caller, vpc, describeVpc(vpc));
      const life = ctx.env.router.lifecycle;
      if (!life) throw serverApi(530, "Failed to restart VPC: this local cloud's router does not model restarts (use --vr netns)");
      await life.restartVpc(vpc.uuid, cleanup);
      return { kind: "success" };
    },
  });
}

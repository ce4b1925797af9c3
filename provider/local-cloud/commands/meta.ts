/** queryAsyncJobResult, listApis, listCapabilities. */
import type { ParamDef } from "../api-catalog";
import * as texts from "../error-texts";
import { permissionDenied, serverApi } from "../errors";
import type { Job } from "../state";
import { describeAccount, type World } from "../world";
import { syncResult, type CommandContext, type CommandResult } from "./context";

export function renderJob(world: World, job: Job): Record<string, unknown> {
  const account = world.account(job.accountId);
  const domain = world.domainOf(account.domainId);
  return {
    accountid: account.uuid,
    account: account.name,
    domainid: domain.uuid,
    domainpath: domain.path,
    userid: account.userUuid,
    cmd: job.cmdClass,
    jobstatus: job.status,
    jobprocstatus: 0,
    jobresultcode: job.resultCode,
    jobresulttype: "object",
    ...(job.result !== undefined ? { jobresult: job.result } : {}),
    ...(job.instanceType !== undefined ? { jobinstancetype: job.instanceType } : {}),
    ...(job.instanceId !== undefined ? { jobinstanceid: job.instanceId } : {}),
    created: job.created,
    ...(job.completed !== undefined ? { completed: job.completed } : {}),
    jobid: job.uuid,
  };
}

export function queryAsyncJobResult(ctx: CommandContext): CommandResult {
  const job = ctx.world.state.jobs.find((j) => j.id === ctx.params.id("jobid"))!;
  if (!ctx.caller.isRootAdmin && job.accountId !== ctx.caller.account.id) {
    throw permissionDenied(texts.notAuthorizedForJob(describeAccount(ctx.caller.account), job.id));
  }
  return syncResult(renderJob(ctx.world, job));
}

function renderParam(param: ParamDef): Record<string, unknown> {
  return {
    name: param.name,
    description: param.description,
    type: param.type,
    length: param.length ?? 255,
    required: param.required ?? false,
    ...(param.since !== undefined ? { since: param.since } : {}),
  };
}

export function listApis(ctx: CommandContext): CommandResult {
  const name = ctx.params.string("name");
  const defs = [...ctx.catalog.values()].filter((d) => name === undefined || d.name === name);
  if (defs.length === 0) throw serverApi(530, texts.listApisNotFound());
  return syncResult({
    count: defs.length,
    api: defs.map((d) => ({
      name: d.name,
      description: d.description,
      isasync: d.isAsync,
      ...(d.since !== undefined ? { since: d.since } : {}),
      params: d.params.filter((p) => !p.adminOnly || ctx.caller.isRootAdmin).map(renderParam),
      response: d.responseKeys.map((key) => ({ name: key })),
    })),
  });
}

/** The version string tells clients which API they talk to; the variant is visible in it and in listApis. */
export function listCapabilities(ctx: CommandContext): CommandResult {
  return syncResult({
    capability: {
      cloudstackversion: ctx.variant === "4.22" ? "4.22.0.0" : "4.22.0.0-dynamic-peer",
      securitygroupsenabled: false,
      userpublictemplateenabled: true,
      supportELB: "false",
      projectinviterequired: false,
      allowusercreateprojects: true,
      customdiskofferingminsize: 1,
      customdiskofferingmaxsize: 1024,
      regionsecondaryenabled: false,
      kvmsnapshotenabled: false,
      allowuserviewdestroyedvm: false,
      allowuserexpungerecovervm: false,
      dynamicrolesenabled: true,
      ...(ctx.apiLimitPerSecond !== undefined ? { apilimitinterval: 1, apilimitmax: ctx.apiLimitPerSecond } : {}),
    },
  });
}

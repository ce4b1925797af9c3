/**
 * What a command handler receives and returns. Handlers run their synchronous part (parameter-dependent checks,
 * `create()` of BaseAsyncCreateCmd) directly and hand the rest to a job, mirroring where CloudStack validates.
 */
import type { Caller } from "../access";
import type { CommandDef } from "../api-catalog";
import type { RouterEnv } from "../connection-lifecycle";
import type { JobOutcome } from "../jobs";
import type { Params } from "../params";
import type { RenderContext } from "../responses";
import type { ApiVariant } from "../types";
import type { World } from "../world";

export interface CommandContext {
  world: World;
  variant: ApiVariant;
  caller: Caller;
  params: Params;
  def: CommandDef;
  catalog: ReadonlyMap<string, CommandDef>;
  env: RouterEnv;
  render: RenderContext;
  /** Extra `listCapabilities` facts (the API limit when throttling is on). */
  apiLimitPerSecond: number | undefined;
}

export interface AsyncWork {
  /** Set for BaseAsyncCreateCmd: the reply carries the entity uuid next to the job id. */
  entityId?: string;
  instanceType?: string;
  execute: () => Promise<JobOutcome>;
}

export type CommandResult = { kind: "sync"; body: Record<string, unknown> } | { kind: "async"; work: AsyncWork };

export type Handler = (ctx: CommandContext) => CommandResult;

export const syncResult = (body: Record<string, unknown>): CommandResult => ({ kind: "sync", body });
export const asyncResult = (work: AsyncWork): CommandResult => ({ kind: "async", work });

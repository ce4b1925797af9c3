/**
 * The two shapes of async command (contract §1.1): `create*` (`BaseAsyncCreateCmd`: the entity is persisted
 * inside the HTTP request, `{id, jobid}` comes back) and the rest (`{jobid}`). Both wait for the job unless told
 * not to.
 *
 * Creates are never resent blindly. After an ambiguous failure (the request may have been applied: reset after
 * sending, timeout, 502/503/504) the object is looked up by its unique key; only if it is absent is the create
 * sent again. Should that second create still collide ("already exists"), the object is looked up once more and
 * adopted, since CloudStack itself enforces the key.
 */
import type { z } from "zod";
import type { ApiParams, CloudStackClient } from "./client";
import { CloudStackApiError, CloudStackAsyncJobError, CloudStackResponseError } from "./errors";
import { backoffDelayMs, classifyFailure } from "./retry";
import { waitForAsyncJob } from "./async-job";
import { parseResponse } from "./parse";
import { type AsyncJobResult, asyncJobRefSchema, JOB_STATUS } from "./responses";
import { z as zod } from "zod";

export interface WaitOptions {
  /** Wait for the job (the default). */
  wait?: true;
  /** @default the client's `jobPolling.jobTimeoutMs` */
  timeoutMs?: number;
}
export interface NoWaitOptions {
  /** Return as soon as CloudStack accepted the command; resume with `waitForAsyncJob(client, ref.jobId)`. */
  wait: false;
}

/** A submitted job that was not waited for. */
export interface AsyncJobRef {
  command: string;
  jobId: string;
}
/** A submitted `create*`. `jobId` is absent when an ambiguous create was resolved by finding the object. */
export interface AsyncCreateRef {
  command: string;
  id: string;
  jobId?: string;
}

export interface CreateSpec<S extends z.ZodType<{ id: string; jobid?: string | undefined; jobstatus?: number | undefined }>> {
  command: string;
  /** Key of the entity inside `jobresult`, e.g. `vpncustomergateway`. */
  objectName: string;
  schema: S;
  /** Finds the object by its unique key; undefined means the command cannot be retried after ambiguity. */
  lookup?: () => Promise<z.infer<S> | undefined>;
  /** Reads the object by id, when a job result lacks it. */
  getById: (id: string) => Promise<z.infer<S> | undefined>;
}

const createReplySchema = zod.looseObject({ id: zod.string(), jobid: zod.string() });

export async function createEntity<S extends z.ZodType<{ id: string; jobid?: string | undefined; jobstatus?: number | undefined }>>(
  client: CloudStackClient,
  spec: CreateSpec<S>,
  params: ApiParams,
  options: WaitOptions | NoWaitOptions = {},
): Promise<z.infer<S> | AsyncCreateRef> {
  const wait = options.wait !== false;
  const timeoutMs = options.wait !== false ? options.timeoutMs : undefined;
  let sawAmbiguity = false;
  for (let round = 1; ; round++) {
    const submittedAtMs = client.clock.now();
    let reply: { id: string; jobid: string };
    try {
      const inner = await client.call(spec.command, params, { retryAmbiguous: false });
      reply = parseResponse(createReplySchema, inner, spec.command);
    } catch (error) {
      const collided = sawAmbiguity && error instanceof CloudStackApiError && error.errorCode === 431 && /already exist/i.test(error.errorText);
      if (classifyFailure(error) !== "ambiguous" && !collided) throw error;
      if (spec.lookup === undefined) throw error;
      sawAmbiguity = true;
      client.logger?.debug(`cloudstack ${spec.command}: ${collided ? "collided after an ambiguous attempt" : "ambiguous failure"}; looking the object up before any resend`);
      const found = await spec.lookup();
      if (found !== undefined) return adopt(client, spec, found, wait, timeoutMs);
      if (round >= client.retryPolicy.maxAttempts || collided) throw error;
      await client.sleep(backoffDelayMs(round, client.retryPolicy, client.random));
      continue;
    }
    if (!wait) return { command: spec.command, id: reply.id, jobId: reply.jobid };
    const job = await waitForAsyncJob(client, reply.jobid, {
      command: spec.command,
      entityId: reply.id,
      submittedAtMs,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    return entityFromJob(spec, job, reply.id);
  }
}

async function adopt<S extends z.ZodType<{ id: string; jobid?: string | undefined; jobstatus?: number | undefined }>>(
  client: CloudStackClient,
  spec: CreateSpec<S>,
  found: z.infer<S>,
  wait: boolean,
  timeoutMs: number | undefined,
): Promise<z.infer<S> | AsyncCreateRef> {
  const pendingJob = found.jobid !== undefined && found.jobstatus === JOB_STATUS.pending ? found.jobid : undefined;
  if (!wait) return { command: spec.command, id: found.id, ...(pendingJob !== undefined ? { jobId: pendingJob } : {}) };
  if (pendingJob === undefined) return found;
  const job = await waitForAsyncJob(client, pendingJob, {
    command: spec.command,
    entityId: found.id,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return entityFromJob(spec, job, found.id);
}

async function entityFromJob<S extends z.ZodType<{ id: string }>>(
  spec: { command: string; objectName: string; schema: S; getById: (id: string) => Promise<z.infer<S> | undefined> },
  job: AsyncJobResult,
  id: string,
): Promise<z.infer<S>> {
  const raw = job.jobresult?.[spec.objectName];
  if (raw !== undefined) return parseResponse(spec.schema, raw, spec.command, `jobresult.${spec.objectName}`);
  const listed = await spec.getById(id);
  if (listed === undefined) throw new CloudStackResponseError(spec.command, `job succeeded but ${spec.objectName} ${id} is neither in its result nor listed`);
  return listed;
}

/**
 * Sends a `delete*`/`update*`/`reset*` and waits for its job. These may be resent after an ambiguous failure:
 * update is a full replace and reset a restart, so a repeat lands in the same state. Deletes pass `isGone` so
 * that a resend after a delete that did happen is recognised rather than reported as "Fail to find".
 */
export async function runAsyncCommand(
  client: CloudStackClient,
  command: string,
  params: ApiParams,
  options: WaitOptions | NoWaitOptions = {},
  isGone?: () => Promise<boolean>,
): Promise<AsyncJobResult | AsyncJobRef> {
  const submittedAtMs = client.clock.now();
  const gone: AsyncJobResult = { jobstatus: JOB_STATUS.succeeded, jobresult: { success: true } };
  let inner: Record<string, unknown>;
  let sawAmbiguity = false;
  try {
    inner = await client.call(command, params, { retryAmbiguous: isGone === undefined });
  } catch (error) {
    if (isGone === undefined || classifyFailure(error) !== "ambiguous") throw error;
    if (await isGone()) return gone;
    sawAmbiguity = true;
    inner = await client.call(command, params);
  }
  const { jobid } = parseResponse(asyncJobRefSchema, inner, command);
  if (options.wait === false) return { command, jobId: jobid };
  try {
    return await waitForAsyncJob(client, jobid, {
      command,
      submittedAtMs,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  } catch (error) {
    // The first, ambiguous delete may have been running when we resent; its twin then finds nothing to delete.
    if (sawAmbiguity && isGone !== undefined && error instanceof CloudStackAsyncJobError && /^Fail to find/.test(error.errorText) && (await isGone())) {
      return gone;
    }
    throw error;
  }
}

/** Lowercases camelCase parameter names to CloudStack's (`ipsecPsk` → `ipsecpsk`), dropping unset ones. */
export function toApiParams(params: object): Record<string, Exclude<ApiParams[string], undefined>> {
  const out: Record<string, Exclude<ApiParams[string], undefined>> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) out[name.toLowerCase()] = value as Exclude<ApiParams[string], undefined>;
  }
  return out;
}

/** Tells a not-waited-for job reference from a finished job. */
export function isAsyncJobRef(value: AsyncJobResult | AsyncJobRef): value is AsyncJobRef {
  return !("jobstatus" in value) && typeof (value as AsyncJobRef).jobId === "string";
}

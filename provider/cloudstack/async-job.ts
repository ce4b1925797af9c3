/**
 * Waiting for CloudStack async jobs (`queryAsyncJobResult`, contract §1.4): jobstatus 0 pending, 1 succeeded,
 * 2 failed, 3 cancelled.
 */
import type { CloudStackClient } from "./client";
import { CloudStackApiError, CloudStackAsyncJobError, CloudStackJobTimeoutError } from "./errors";
import { classifyFailure } from "./retry";
import { type AsyncJobResult, asyncJobResultSchema, JOB_STATUS } from "./responses";
import { parseResponse } from "./parse";
import { nextPollDelayMs } from "./job-polling";

export interface WaitForAsyncJobOptions {
  /** The command that started the job, for error texts. @default "async job" */
  command?: string;
  /** The entity a `create*` returned, kept on errors so the caller can find or clean it up. */
  entityId?: string;
  /** @default the client's `jobPolling.jobTimeoutMs` */
  timeoutMs?: number;
  /** When the job was submitted (client clock), so the schedule and the deadline count from then. @default now */
  submittedAtMs?: number;
}

/** One poll. Throws nothing for a failed job: the caller reads `jobstatus`. */
export async function queryAsyncJobResult(client: CloudStackClient, jobId: string): Promise<AsyncJobResult> {
  const inner = await client.call("queryAsyncJobResult", { jobid: jobId });
  return parseResponse(asyncJobResultSchema, inner, "queryAsyncJobResult");
}

/**
 * Polls until the job ends. Resolves with the final job (jobstatus 1); rejects with `CloudStackAsyncJobError`
 * on failure or cancellation, or `CloudStackJobTimeoutError` (keeping the job id) at the deadline. Transient
 * poll failures are absorbed until the deadline: the job runs on whether or not we can see it.
 */
export async function waitForAsyncJob(
  client: CloudStackClient,
  jobId: string,
  options: WaitForAsyncJobOptions = {},
): Promise<AsyncJobResult> {
  const polling = client.jobPolling;
  const command = options.command ?? "async job";
  const submittedAtMs = options.submittedAtMs ?? client.clock.now();
  const deadlineMs = submittedAtMs + (options.timeoutMs ?? polling.jobTimeoutMs);
  let delayMs = Math.max(0, polling.firstPollMs - (client.clock.now() - submittedAtMs));
  for (;;) {
    const now = client.clock.now();
    if (now >= deadlineMs) {
      throw new CloudStackJobTimeoutError({
        command,
        jobId,
        ...(options.entityId !== undefined ? { entityId: options.entityId } : {}),
        waitedMs: now - submittedAtMs,
      });
    }
    // The last poll lands on the deadline itself rather than after it.
    await client.sleep(Math.min(delayMs, deadlineMs - now));
    let job: AsyncJobResult | undefined;
    try {
      job = await queryAsyncJobResult(client, jobId);
    } catch (error) {
      if (classifyFailure(error) === "final") throw withJobId(error, jobId);
    }
    const elapsedMs = client.clock.now() - submittedAtMs;
    if (job !== undefined && job.jobstatus !== JOB_STATUS.pending) {
      if (job.jobstatus === JOB_STATUS.succeeded) return job;
      throw jobFailure(job, { command, jobId, entityId: options.entityId, elapsedMs });
    }
    delayMs = nextPollDelayMs(elapsedMs, polling);
  }
}

function jobFailure(
  job: AsyncJobResult,
  context: { command: string; jobId: string; entityId: string | undefined; elapsedMs: number },
): CloudStackAsyncJobError {
  const result = job.jobresult ?? {};
  const errorCode = typeof result.errorcode === "number" ? result.errorcode : undefined;
  const errorText = typeof result.errortext === "string" ? result.errortext : `job ended with jobstatus ${job.jobstatus}`;
  return new CloudStackAsyncJobError({
    command: context.command,
    jobId: context.jobId,
    ...(context.entityId !== undefined ? { entityId: context.entityId } : {}),
    jobStatus: job.jobstatus,
    jobResultCode: job.jobresultcode ?? errorCode ?? 0,
    ...(errorCode !== undefined ? { errorCode } : {}),
    errorText,
    elapsedMs: context.elapsedMs,
  });
}

function withJobId(error: unknown, jobId: string): unknown {
  if (!(error instanceof CloudStackApiError) || error.jobId !== undefined) return error;
  return new CloudStackApiError({
    command: error.command,
    httpStatus: error.httpStatus,
    ...(error.errorCode !== undefined ? { errorCode: error.errorCode } : {}),
    ...(error.csErrorCode !== undefined ? { csErrorCode: error.csErrorCode } : {}),
    errorText: error.errorText,
    jobId,
  });
}

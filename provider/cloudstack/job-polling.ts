/**
 * The polling schedule for async jobs. CloudStack jobs range from milliseconds (a customer gateway row) to
 * minutes (a VR reprogram). Polling every `pollRatio` of the time already waited keeps the detection delay
 * within that fraction of the job's duration (0.08 → a 2 s job is seen by ~2.16 s), while long jobs settle at one
 * poll per `maxPollIntervalMs`.
 */
export interface JobPollingOptions {
  /**
   * Delay before the first `queryAsyncJobResult`.
   *
   * @default 200
   */
  firstPollMs: number;
  /**
   * Later polls wait this fraction of the time elapsed since the job was submitted.
   *
   * @default 0.08
   */
  pollRatio: number;
  /** @default 25 */
  minPollIntervalMs: number;
  /** @default 2000 */
  maxPollIntervalMs: number;
  /**
   * How long to wait for a job before giving up with `CloudStackJobTimeoutError` (the job keeps running).
   *
   * @default 600000 (10 minutes)
   */
  jobTimeoutMs: number;
}

export const DEFAULT_JOB_POLLING: JobPollingOptions = {
  firstPollMs: 200,
  pollRatio: 0.08,
  minPollIntervalMs: 25,
  maxPollIntervalMs: 2000,
  jobTimeoutMs: 600_000,
};

/** Delay before the next poll, given how long the job has been running. */
export function nextPollDelayMs(elapsedMs: number, options: JobPollingOptions): number {
  return Math.round(Math.min(options.maxPollIntervalMs, Math.max(options.minPollIntervalMs, elapsedMs * options.pollRatio)));
}

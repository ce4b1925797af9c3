/**
 * Which failures may be retried, and how long to wait. Only throttling, transport failures and the three
 * gateway-style 5xx statuses are transient; CloudStack's application errors (431, 530, 534…) are final even
 * though 530+ look like 5xx.
 */
import { CloudStackApiError, CloudStackTransportError } from "./errors";

/**
 * - `throttled`: CloudStack (or a proxy) refused the request for rate: it was not processed, resend after a pause.
 * - `refused`: the connection never opened: not processed, resend.
 * - `ambiguous`: the request may have been processed (reset after sending, timeout, 502/503/504). Safe to resend
 *   only for commands that can be repeated; a create must look its object up first.
 * - `final`: do not retry.
 */
export type FailureClass = "throttled" | "refused" | "ambiguous" | "final";

export const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof CloudStackTransportError) return error.kind === "refused" ? "refused" : "ambiguous";
  if (error instanceof CloudStackApiError) {
    if (error.httpStatus === 429 || error.errorCode === 429) return "throttled";
    // A proxy or a restarting management server: the request may or may not have reached CloudStack.
    if (TRANSIENT_HTTP_STATUSES.has(error.httpStatus)) return "ambiguous";
    return "final";
  }
  return "final";
}

export interface RetryPolicy {
  /**
   * Attempts per request, the first included.
   *
   * @default 6
   */
  maxAttempts: number;
  /** @default 250 */
  baseDelayMs: number;
  /** @default 10000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay is fixed, half random, so retries
 * from many clients spread out but never collapse to zero. `attempt` is the attempt that just failed (1-based).
 * A server's `Retry-After` wins when it asks for longer.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(retryAfterMs !== undefined ? Math.max(jittered, Math.min(retryAfterMs, policy.maxDelayMs)) : jittered);
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

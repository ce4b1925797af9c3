/**
 * A client-side request pacer. CloudStack's API limit (`api.throttling.max` per interval) answers 429 once a
 * caller exceeds it; pacing under the limit avoids paying a refused round trip plus a backoff for each one.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for intervals (Date.now() is fine). */
  now(): number;
}

export type Sleep = (ms: number) => Promise<void>;

export interface RateLimiter {
  /** Resolves when the caller may send its next request. Callers are served in call order. */
  acquire(): Promise<void>;
  /** Holds every caller back until `untilMs` (after a 429), so concurrent requests do not all hit the wall. */
  pauseUntil(untilMs: number): void;
}

/**
 * Spaces requests at least `1000 / maxRequestsPerSecond` ms apart, measured from when each was actually let go.
 * Spacing rather than a burst bucket, and actual rather than scheduled times, because servers count per window
 * (CloudStack: per user per interval): a burst, or a late request followed by an on-time one, can put N+1
 * requests into one window.
 */
export function createRateLimiter(maxRequestsPerSecond: number | undefined, clock: Clock, sleep: Sleep): RateLimiter {
  const intervalMs = maxRequestsPerSecond !== undefined && maxRequestsPerSecond > 0 ? 1000 / maxRequestsPerSecond : 0;
  let lastReleaseMs = -Infinity;
  let pausedUntilMs = -Infinity;
  let queue: Promise<void> = Promise.resolve();
  let waiting = 0;
  const waitForTurn = async (): Promise<void> => {
    for (;;) {
      const readyAt = Math.max(lastReleaseMs + intervalMs, pausedUntilMs);
      const now = clock.now();
      if (now >= readyAt) break;
      await sleep(readyAt - now);
    }
    lastReleaseMs = clock.now();
  };
  return {
    acquire() {
      if (intervalMs === 0 && waiting === 0 && clock.now() >= pausedUntilMs) return Promise.resolve();
      waiting++;
      const turn = queue.then(waitForTurn).finally(() => waiting--);
      queue = turn.catch(() => undefined);
      return turn;
    },
    pauseUntil(untilMs) {
      pausedUntilMs = Math.max(pausedUntilMs, untilMs);
    },
  };
}

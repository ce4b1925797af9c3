/**
 * Deterministic fault injection. Every request consumes exactly two draws (reset, 5xx) and every job one draw
 * (failure) from a PRNG seeded by `FaultOptions.seed`, so the same seed and the same request sequence always give
 * the same faults, whatever the rates are.
 */
import type { FaultOptions } from "./types";

/** mulberry32: tiny, fast, and good enough for test fault schedules. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type RequestFault = "reset" | "http503" | undefined;

export class FaultInjector {
  private options: FaultOptions | undefined;
  private random: () => number = () => 1;
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(options: FaultOptions | undefined) {
    this.set(options);
  }

  set(options: FaultOptions | undefined): void {
    for (const [name, rate] of Object.entries({
      http5xxRate: options?.http5xxRate,
      connectionResetRate: options?.connectionResetRate,
      jobFailureRate: options?.jobFailureRate,
    })) {
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
        throw new RangeError(`local-cloud faults: \`${name}\` ${rate} is not a rate; use a number from 0 to 1`);
      }
    }
    this.options = options;
    this.random = options ? seededRandom(options.seed) : () => 1;
    this.windows.clear();
  }

  get latencyMs(): number {
    return this.options?.latencyMs ?? 0;
  }

  get throttlePerSecond(): number | undefined {
    return this.options?.throttlePerSecond;
  }

  get jobDurationMs(): number {
    return this.options?.jobDurationMs ?? 0;
  }

  /** Decided before anything else happens to the request. */
  onRequest(): RequestFault {
    const reset = this.random();
    const http503 = this.random();
    if (reset < (this.options?.connectionResetRate ?? 0)) return "reset";
    if (http503 < (this.options?.http5xxRate ?? 0)) return "http503";
    return undefined;
  }

  onJob(): boolean {
    return this.random() < (this.options?.jobFailureRate ?? 0);
  }

  /**
   * CloudStack's API limit: at most N requests per user per window of one second. Returns the milliseconds until
   * the window ends when this request is over the limit.
   */
  throttle(userKey: string, nowMs: number): number | undefined {
    const limit = this.options?.throttlePerSecond;
    if (limit === undefined) return undefined;
    let window = this.windows.get(userKey);
    if (window === undefined || nowMs - window.startMs >= 1000) {
      window = { startMs: nowMs, count: 0 };
      this.windows.set(userKey, window);
    }
    window.count += 1;
    return window.count > limit ? Math.max(1, 1000 - (nowMs - window.startMs)) : undefined;
  }
}

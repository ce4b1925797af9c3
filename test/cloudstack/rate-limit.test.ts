import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../provider/cloudstack/rate-limit";
import { virtualTime } from "./helpers/test-client";

describe("createRateLimiter", () => {
  it("lets requests go at most maxRequestsPerSecond, evenly spaced", async () => {
    const time = virtualTime(0);
    const limiter = createRateLimiter(25, time, time.sleep);
    const released: number[] = [];
    await Promise.all(Array.from({ length: 50 }, () => limiter.acquire().then(() => released.push(time.now()))));
    expect(released).toHaveLength(50);
    for (let i = 1; i < released.length; i++) expect(released[i]! - released[i - 1]!).toBeGreaterThanOrEqual(40);
    // 50 requests at 25/s: the last goes at 49 × 40 ms.
    expect(released.at(-1)).toBe(1960);
  });

  it("does not delay anything without a limit", async () => {
    const time = virtualTime(0);
    const limiter = createRateLimiter(undefined, time, time.sleep);
    await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    expect(time.sleeps).toEqual([]);
  });

  it("holds every caller back after pauseUntil", async () => {
    const time = virtualTime(0);
    const limiter = createRateLimiter(undefined, time, time.sleep);
    limiter.pauseUntil(500);
    await limiter.acquire();
    expect(time.now()).toBe(500);
  });
});

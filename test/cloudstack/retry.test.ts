import { describe, expect, it } from "vitest";
import { backoffDelayMs, classifyFailure, DEFAULT_RETRY_POLICY, parseRetryAfterMs } from "../../provider/cloudstack/retry";
import { CloudStackApiError, CloudStackAsyncJobError, CloudStackTransportError } from "../../provider/cloudstack/errors";

const api = (httpStatus: number, errorCode?: number) =>
  new CloudStackApiError({ command: "listZones", httpStatus, ...(errorCode !== undefined ? { errorCode } : {}), errorText: "x" });
const transport = (kind: "refused" | "reset" | "timeout" | "network") =>
  new CloudStackTransportError({ command: "listZones", kind, detail: "x", apiHost: "127.0.0.1:1" });

describe("classifyFailure", () => {
  it.each([
    ["HTTP 429", api(429), "throttled"],
    ["CloudStack errorcode 429 under another status", api(200, 429), "throttled"],
    ["ECONNREFUSED", transport("refused"), "refused"],
    ["connection reset", transport("reset"), "ambiguous"],
    ["request timeout", transport("timeout"), "ambiguous"],
    ["other network failure", transport("network"), "ambiguous"],
    ["HTTP 502", api(502), "ambiguous"],
    ["HTTP 503", api(503), "ambiguous"],
    ["HTTP 504", api(504), "ambiguous"],
    ["HTTP 500", api(500), "final"],
    ["CloudStack 431 param error", api(431, 431), "final"],
    ["CloudStack 530 internal error", api(530, 530), "final"],
    ["CloudStack 534 resource unavailable", api(534, 534), "final"],
    ["CloudStack 401 bad signature", api(401, 401), "final"],
    ["a failed async job", new CloudStackAsyncJobError({ command: "x", jobId: "j", jobStatus: 2, jobResultCode: 530, errorText: "x", elapsedMs: 1 }), "final"],
    ["a plain Error", new Error("boom"), "final"],
  ])("classifies %s as %s", (_name, error, expected) => {
    expect(classifyFailure(error)).toBe(expected);
  });
});

describe("backoffDelayMs", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };

  it("doubles per attempt, with jitter between half and all of the step", () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(200);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(400);
  });

  it("never exceeds maxDelayMs", () => {
    expect(backoffDelayMs(30, policy, () => 1)).toBe(1000);
  });

  it("waits at least the server's Retry-After, capped at maxDelayMs", () => {
    expect(backoffDelayMs(1, policy, () => 0, 700)).toBe(700);
    expect(backoffDelayMs(1, policy, () => 0, 60_000)).toBe(1000);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates, ignores garbage", () => {
    expect(parseRetryAfterMs("2", 0)).toBe(2000);
    expect(parseRetryAfterMs(new Date(5000).toUTCString(), 1000)).toBe(4000);
    expect(parseRetryAfterMs("soon", 0)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, 0)).toBeUndefined();
  });
});

/** Clients wired for fast, deterministic tests: tiny backoffs and poll intervals, captured logs. */
import { CloudStackClient, type CloudStackClientOptions } from "../../../provider/cloudstack/client";
import { FAKE_API_KEY, FAKE_SECRET_KEY } from "./fake-cloudstack";

export interface CapturedLogs {
  lines: string[];
}

export function testClient(url: string, overrides: CloudStackClientOptions = {}): { client: CloudStackClient; logs: CapturedLogs } {
  const logs: CapturedLogs = { lines: [] };
  const client = new CloudStackClient({
    apiUrl: url,
    apiKey: FAKE_API_KEY,
    secretKey: FAKE_SECRET_KEY,
    env: {},
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    jobPolling: { firstPollMs: 2, minPollIntervalMs: 2, maxPollIntervalMs: 10, pollRatio: 0.1, jobTimeoutMs: 5_000 },
    requestTimeoutMs: 2_000,
    logger: { debug: (line) => logs.lines.push(line), warn: (line) => logs.lines.push(`WARN ${line}`) },
    ...overrides,
  });
  return { client, logs };
}

/** A virtual clock whose sleep advances time instantly: for schedule tests without real waiting. */
export function virtualTime(startMs = 1_700_000_000_000): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

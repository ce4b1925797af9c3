/**
 * Process helpers for the e2e lab. Everything goes through execFile with argument vectors (no shell string
 * built from data), so a PSK can never end up in a command line by accident: secrets travel in files only.
 */
import { execFile, spawnSync } from "node:child_process";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Resolve with the non-zero exit code instead of rejecting. */
  allowFail?: boolean;
  timeoutMs?: number;
}

export class CommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    super(`\`${argv.join(" ")}\` exited ${result.code}: ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" | ")}`);
  }
}

export function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error("run: empty argv");
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 32 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        const result = { code, stdout, stderr };
        if (code !== 0 && !options.allowFail) reject(new CommandError(argv, result));
        else resolve(result);
      },
    );
  });
}

/** Synchronous variant, for signal handlers and sweepers that must finish before the process exits. */
export function runSync(argv: string[], timeoutMs = 10_000): RunResult {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error("runSync: empty argv");
  const r = spawnSync(file, args, { encoding: "utf8", timeout: timeoutMs });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than undefined/false, or fails with `what` and the last
 * observation once the deadline passes. Tests wait on conditions, never on fixed sleeps.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
  describeLast?: () => Promise<string> | string,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 50;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) {
      const last = describeLast ? `\n--- last observation ---\n${await describeLast()}` : "";
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${last}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Milliseconds since `start` (from performance.now()), for timing figures. */
export function since(start: number): number {
  return performance.now() - start;
}

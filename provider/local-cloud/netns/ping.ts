/** ICMP between lab hosts: one-shot pings with counts, and continuous pings that count every lost reply. */
import { spawn, type ChildProcess } from "node:child_process";
import { run } from "./exec";

export interface PingResult {
  transmitted: number;
  received: number;
  output: string;
}

/** `ping -c count` from namespace `ns` to `dst`; never throws on loss, the caller asserts on the counts. */
export async function ping(ns: string, dst: string, count = 3, intervalSeconds = 0.1): Promise<PingResult> {
  const r = await run(["ip", "netns", "exec", ns, "ping", "-n", "-q", "-c", String(count), "-i", String(intervalSeconds), "-W", "1", dst], {
    allowFail: true,
    timeoutMs: (count * intervalSeconds + 3) * 1000,
  });
  const m = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
  return { transmitted: Number(m?.[1] ?? 0), received: Number(m?.[2] ?? 0), output: r.stdout + r.stderr };
}

/** Pings until one reply arrives (a tunnel that needs a first packet, or the warm-up after a change). */
export async function pingUntilReply(ns: string, dst: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await ping(ns, dst, 1)).received === 1) return true;
  }
  return false;
}

export interface ContinuousPingReport {
  transmitted: number;
  received: number;
  /** Sequence numbers with no reply, excluding the last one (possibly still in flight when stopped). */
  lost: number[];
}

/**
 * A continuous ping (every `intervalSeconds`) from `ns` to `dst`. `ip netns exec` execs ping in place, so the child
 * PID is ping's own and it lives in the lab namespace: namespace teardown also kills it if a test dies first.
 */
export class ContinuousPing {
  private readonly child: ChildProcess;
  private output = "";
  private readonly exited: Promise<void>;

  constructor(
    readonly ns: string,
    readonly dst: string,
    intervalSeconds = 0.1,
  ) {
    this.child = spawn("ip", ["netns", "exec", ns, "ping", "-n", "-i", String(intervalSeconds), "-W", "1", dst], { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.on("close", () => resolve()));
  }

  /** Replies so far. */
  replies(): number {
    return (this.output.match(/icmp_seq=/g) ?? []).length;
  }

  async stop(): Promise<ContinuousPingReport> {
    this.child.kill("SIGINT");
    await this.exited;
    const m = /(\d+) packets transmitted, (\d+) received/.exec(this.output);
    const transmitted = Number(m?.[1] ?? 0);
    const got = new Set([...this.output.matchAll(/icmp_seq=(\d+)/g)].map((x) => Number(x[1])));
    const lost: number[] = [];
    for (let seq = 1; seq < transmitted; seq++) if (!got.has(seq)) lost.push(seq);
    return { transmitted, received: Number(m?.[2] ?? 0), lost };
  }
}

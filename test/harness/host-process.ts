// Starting and stopping the SDK's dynamic-provider host as a process, the way the engine launches the
// `pulumi-resource-pulumi-nodejs` plugin (pulumi-host.md §2.2). Kept apart from the gRPC client so the process rules
// (own process group, port on the first stdout line, everything killed) live in one place.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Project root: the directory holding node_modules/@pulumi/pulumi (this file is test/harness/host-process.ts). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const SDK_DIR = path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi");
export const HOST_SCRIPT = path.join(SDK_DIR, "cmd", "dynamic-provider", "index.js");
export const HOST_SHIM = path.join(SDK_DIR, "pulumi-resource-pulumi-nodejs");

/**
 * The engine passes its own gRPC address; the 3.248.0 host only checks that one is present and never dials it, so
 * nothing needs to listen there.
 */
const ENGINE_ADDRESS = "127.0.0.1:1";

export interface HostProcess {
  readonly child: ChildProcess;
  /** Process group id (= pid of the spawned process, which is its group leader because of `detached`). */
  readonly pgid: number;
  readonly port: number;
  /** Everything the host wrote after the port line, plus stderr: provider console output and host errors. */
  output(): string;
  kill(): Promise<void>;
}

export interface SpawnHostOptions {
  programDir: string;
  env: NodeJS.ProcessEnv;
  /** Launch through the sh shim, as the engine does (then the host is a grandchild: only a group kill stops it). */
  viaShim?: boolean;
  /** @default 15000 */
  startTimeoutMs?: number;
}

// Every group started and not yet proven dead. A vitest worker that exits (or a test that forgets stop()) must not
// leave hosts behind, so the exit hook SIGKILLs whatever is still registered.
const liveGroups = new Set<number>();
process.on("exit", () => {
  for (const pgid of liveGroups) killGroup(pgid, "SIGKILL");
});

/** Process groups this worker started whose processes may still be running. */
export function liveHostGroups(): number[] {
  return [...liveGroups].filter(isGroupAlive);
}

/** True while any process of the group exists (signal 0 probes without signalling). */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function spawnHost(opts: SpawnHostOptions): Promise<HostProcess> {
  if (!fs.existsSync(path.join(opts.programDir))) throw new Error(`programDir ${opts.programDir} does not exist`);
  const [cmd, args] = opts.viaShim ? ["sh", [HOST_SHIM, ENGINE_ADDRESS]] : [process.execPath, [HOST_SCRIPT, ENGINE_ADDRESS]];
  const child = spawn(cmd, args, { cwd: opts.programDir, env: opts.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const pgid = child.pid!;
  liveGroups.add(pgid);
  let out = "";
  let stdoutBuf = "";
  let port: number | undefined;
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));

  const kill = async () => {
    if (!liveGroups.has(pgid)) return;
    killGroup(pgid, "SIGTERM");
    const deadline = Date.now() + 3000;
    while (isGroupAlive(pgid) && Date.now() < deadline) await sleep(25);
    if (isGroupAlive(pgid)) killGroup(pgid, "SIGKILL");
    while (isGroupAlive(pgid) && Date.now() < deadline + 2000) await sleep(25);
    liveGroups.delete(pgid);
  };

  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`provider host printed no port within ${opts.startTimeoutMs ?? 15000} ms; output:\n${out}`)),
        opts.startTimeoutMs ?? 15000,
      );
      child.stdout!.on("data", (d: Buffer) => {
        if (port !== undefined) return void (out += d.toString());
        stdoutBuf += d.toString();
        const nl = stdoutBuf.indexOf("\n");
        if (nl < 0) return;
        const first = stdoutBuf.slice(0, nl).trim();
        out += stdoutBuf.slice(nl + 1);
        clearTimeout(timer);
        if (/^\d+$/.test(first)) resolve(Number(first));
        else reject(new Error(`provider host's first stdout line is not a port: ${JSON.stringify(first)}\n${out}`));
      });
      child.once("error", (e) => (clearTimeout(timer), reject(e)));
      // The shim exits 0 without a port when @pulumi/pulumi cannot be resolved from cwd (pulumi-host.md §2.2).
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`provider host exited ${code ?? signal} before printing its port; output:\n${out}`));
      });
    });
  } catch (e) {
    await kill();
    throw e;
  }
  return { child, pgid, port, output: () => out, kill };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

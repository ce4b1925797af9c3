/**
 * Network-namespace ownership and teardown, shared by the e2e lab and the local cloud's netns router. Only
 * processes that `ip netns pids` lists inside our own namespaces are ever signalled; teardown is synchronous so it
 * can run from a signal handler.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSync } from "./exec";

/** Where labs and netns routers keep instance directories, logs and their owner file (the e2e sweeper looks here). */
export const NETNS_WORK_ROOT = join(tmpdir(), "s2s-e2e");

export function listNamespaces(): string[] {
  const r = runSync(["ip", "netns", "list"]);
  return r.stdout
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n !== "");
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie has exited and only awaits its parent's wait(). The VR's sshd is this process's own child, and Node
  // cannot reap it while destroyNamespaces blocks the event loop: counting it alive cost every teardown 5 s.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false; // gone between the two looks
  }
}

/** PIDs running inside namespace `ns` (and only those). */
export function namespacePids(ns: string): number[] {
  return runSync(["ip", "netns", "pids", ns])
    .stdout.split("\n")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Kills what runs inside the given namespaces (SIGKILL: nothing in them is worth a graceful stop, and charon's
 * `ipsec stop` costs ~2 s each), waits until they are gone, then deletes the namespaces (their veths, routes and
 * rules go with them).
 */
export function destroyNamespaces(namespaces: string[]): void {
  const existing = new Set(listNamespaces());
  const mine = namespaces.filter((n) => existing.has(n));
  killNamespaceProcesses(mine);
  for (const ns of mine) runSync(["ip", "netns", "del", ns]);
}

/** SIGKILLs every process inside the namespaces and waits (up to 5 s) until they are gone; the namespaces stay. */
export function killNamespaceProcesses(namespaces: readonly string[]): void {
  const pids = namespaces.flatMap(namespacePids);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5_000;
  while (pids.some(isAlive) && Date.now() < deadline) runSync(["sleep", "0.02"]);
}

const cleanups = new Set<() => void>();
let handlersInstalled = false;

/**
 * Registers a synchronous cleanup to run on SIGINT/SIGTERM/SIGHUP (then the process exits with 128+signo) and on
 * normal exit. Returns an unregister function for the ordinary teardown path.
 */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  if (!handlersInstalled) {
    handlersInstalled = true;
    const runAll = (): void => {
      for (const c of [...cleanups]) {
        cleanups.delete(c);
        try {
          c();
        } catch {
          /* keep cleaning the rest */
        }
      }
    };
    for (const [sig, no] of [["SIGINT", 2], ["SIGTERM", 15], ["SIGHUP", 1]] as const) {
      process.on(sig, () => {
        runAll();
        process.exit(128 + no);
      });
    }
    process.on("exit", runAll);
  }
  return () => cleanups.delete(cleanup);
}

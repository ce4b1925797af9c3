/**
 * Everything the demo runs on, and its complete removal: a local CloudStack (stock 4.22 API, so a dynamic peer has
 * to be pushed over SSH) whose VPC router is the real netns virtual router, one branch office whose CPE has a
 * dynamic WAN address, and Pulumi's own dynamic-provider host with one engine per resource type.
 *
 * Cleanup is registered before anything exists: Ctrl-C (or SIGTERM/SIGHUP) at any point kills the provider host's
 * process group and every process inside the demo's namespaces, then deletes the namespaces; the ordinary path
 * does the same and then proves nothing is left.
 */
import { readdirSync, readFileSync } from "node:fs";
import { startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import { isAlive, onInterrupt } from "../../provider/local-cloud/netns/namespaces";
import type { BranchNodes } from "../../provider/local-cloud/netns/topology";
import { createEngine, PROJECT_ROOT, startProviderHost, type Engine, type ProviderHost } from "../../test/harness";
import { strayDaemons } from "../../test/e2e/lab/cleanup";
import { serializeProviders, type Providers } from "./provider-runtime";

/** The branch office: a short name (it names namespaces), its first WAN lease and its LAN. */
export const BRANCH = { name: "lyon", wanIp: "203.0.113.20", lanCidr: "192.168.10.0/24" } as const;
/** The example's Pulumi project: stack config keys are namespaced with it (`branch-dynamic:apiUrl`). */
const PROJECT = "branch-dynamic";

export interface Stage {
  router: NetnsRouter;
  cloud: LocalCloud;
  branch: BranchNodes;
  providers: Providers;
  host: ProviderHost;
  vgw: Engine;
  cgw: Engine;
  conn: Engine;
  /** The VR's SSH access as the example's `gatewaySsh` config holds it (the private key itself, not a path). */
  gatewaySsh: { host: string; port: number; privateKey: string; hostKey: string };
  startedMs: { cloud: number; providers: number };
}

/** What teardown found still present afterwards; every list must be empty. */
export interface Leftovers {
  namespaces: string[];
  controlLink: boolean;
  processes: string[];
}

let state: Partial<Stage> = {};
let unguard: () => void = () => undefined;

/** Direct children of this process (by /proc), e.g. the serializer's ts-node children while they run. */
function ownChildren(): number[] {
  return readdirSync("/proc").flatMap((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return ppid === process.pid ? [Number(entry)] : [];
    } catch {
      return []; // not a process, or it exited meanwhile
    }
  });
}

/**
 * Synchronous: runs from a signal handler, where no promise will ever settle. The provider host and the serializer
 * children run in process groups of their own (a terminal's Ctrl-C does not reach them), so they are killed by id.
 */
function killEverything(): void {
  state.router?.destroySync();
  for (const pid of [...(state.host ? [state.host.pgid] : []), ...ownChildren()]) {
    try {
      process.kill(-pid, "SIGKILL"); // its whole group, when it leads one
    } catch {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
}

/** Registers the interrupt cleanup; call before creating anything (teardown() unregisters it). */
export function guardInterrupts(say: (line: string) => void): void {
  unguard = onInterrupt(() => {
    say("\ninterrupted: stopping the provider host, the routers' daemons and sshd, and deleting the demo's namespaces…");
    killEverything();
    say(`cleaned up${state.router ? ` (namespaces ${state.router.prefix}-* removed)` : ""}`);
  });
}

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
};

/** Builds the stage; on failure removes whatever part of it exists and rethrows. */
export async function startStage(): Promise<Stage> {
  const runId = process.env.S2S_DEMO_RUN_ID;
  // The providers serialize in ts-node children while the namespaces, daemons and cloud come up.
  const world = timed(async () => {
    state.router = await NetnsRouter.create(runId && /^[0-9a-f]{4}$/.test(runId) ? { runId } : {});
    state.cloud = await startLocalCloud({ variant: "4.22", router: state.router });
    state.branch = await state.router.addBranch({ ...BRANCH });
  });
  const serialized = timed(serializeProviders);
  const [w, s] = await Promise.allSettled([world, serialized]);
  if (w.status === "rejected" || s.status === "rejected") {
    await teardown().catch(() => undefined);
    throw w.status === "rejected" ? w.reason : (s as PromiseRejectedResult).reason;
  }
  const { router, cloud } = state as Required<Pick<Stage, "router" | "cloud">>;
  const providers = s.value[0];
  try {
    state.host = await startProviderHost({
      programDir: PROJECT_ROOT,
      project: PROJECT,
      // The example's stack config: the API endpoint and keys of the local cloud's admin.
      config: { apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: { secret: cloud.admin.secretKey } },
    });
  } catch (e) {
    await teardown().catch(() => undefined);
    throw e;
  }
  const host = state.host;
  const engine = (p: keyof Omit<Providers, "runtime">) => createEngine({ host, provider: providers[p], stack: "demo" });
  return {
    ...(state as Pick<Stage, "router" | "cloud" | "branch">),
    providers,
    host,
    vgw: engine("vpnGateway"),
    cgw: engine("customerGateway"),
    conn: engine("vpnConnection"),
    gatewaySsh: { host: router.access.sshHost, port: router.access.sshPort, privateKey: readFileSync(router.access.privateKeyFile, "utf8"), hostKey: router.access.hostKey },
    startedMs: { cloud: w.value[1], providers: s.value[1] },
  };
}

/** Daemons to prove gone afterwards: every charon and starter of the routers, and the VR's sshd. */
function daemonPids(router: NetnsRouter): Map<number, string> {
  const pids = new Map<number, string>();
  for (const inst of [router.vr, ...router.cpes.values()]) {
    for (const which of ["charon", "starter"] as const) {
      const pid = inst.pid(which);
      if (pid) pids.set(pid, `${which} (${inst.name})`);
    }
  }
  if (router.sshdPid) pids.set(router.sshdPid, "sshd (vr)");
  return pids;
}

/** Stops everything in reverse order of creation; returns what is still there (nothing, or it is a bug). */
export async function teardown(): Promise<Leftovers> {
  const { host, cloud, router } = state;
  const pids = router ? daemonPids(router) : new Map<number, string>();
  const hostGroup = host?.pgid;
  await host?.stop();
  await cloud?.close();
  const left = router ? await router.close() : { namespaces: [], controlLink: false };
  const processes = [...pids].filter(([pid]) => isAlive(pid)).map(([pid, what]) => `${what} pid ${pid}`);
  if (router) processes.push(...strayDaemons(router.prefix).map((pid) => `strongSwan daemon pid ${pid}`));
  if (hostGroup !== undefined && isAlive(hostGroup)) processes.push(`provider host pid ${hostGroup}`);
  state = {};
  unguard();
  return { ...left, processes: [...new Set(processes)] };
}

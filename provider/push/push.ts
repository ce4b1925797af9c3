import { createHash } from "node:crypto";
import { HEAL_GONE_COMMAND, HEAL_PATHS, HEAL_SCRIPT_PATH, HEAL_START_COMMAND, renderHeal } from "../render/heal";
import { restoreToTarget } from "../render/push-firewall";
import { firstLines, PushError, PushInputError, type PushStep } from "./errors";
import type { GatewayHost, HeldCommand } from "./gateway-host";
import { connectionProblems, firewallProblems, ofBase, ownLoaded, readFirewall, readGateway, readOwnFiles, readStatus, STATE_PATH, type GatewayView } from "./gateway-state";
import { dynamicResponderId } from "../model/responder-id";
import { foreignSecretConflicts, readForeignSecrets } from "./foreign-secrets";
import { acquireRemoteLock, withHostMutex } from "./lock";
import { OWN_CONNECTION, planDynamicPeers, type DynamicPeersInput, type PushPlan } from "./plan";
import { restoreSnapshot, tempPathFor, waitUntil } from "./restore";
import { stateFile, StateFileError } from "./remote-state";
import type { PushState } from "./state";

export interface PushOptions {
  /** How long to wait for another push's remote lock. @default 30000 */
  lockTimeoutMs?: number;
  /** How long charon may take to show the loaded connections after `ipsec update`. @default 10000 */
  verifyTimeoutMs?: number;
}

export interface PushResult {
  state: PushState;
  /** false when the gateway already held exactly this (nothing was written, nothing reloaded). */
  changed: boolean;
  /** Duration of each step, in order (for logs and benchmarks). */
  steps: { step: PushStep; ms: number }[];
  durationMs: number;
  /** Peers the push left untouched because the gateway does not hold them as recorded (per-peer pushes). */
  warnings: string[];
}

class StepFailure extends Error {
  constructor(
    readonly step: PushStep,
    readonly detail: string,
  ) {
    super(detail);
  }
}

async function mustRun(host: GatewayHost, step: PushStep, command: string, stdin?: string, ok: (code: number, out: string) => boolean = (c) => c === 0): Promise<void> {
  const r = await host.exec(command, stdin !== undefined ? { stdin } : {});
  if (!ok(r.code, r.stdout + r.stderr)) throw new StepFailure(step, `\`${command}\` exited ${r.code}: ${firstLines(r.stderr || r.stdout)}`);
}

/** `s2s-<id>-<hash>-g<gen>[-N]` → `s2s-<id>-<hash>` (the peer's files and every generation share it). */
function generationBase(name: string): string {
  return name.replace(/-g[0-9a-f]{8}(-\d+)?$/, "");
}

const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

/**
 * One transaction on one gateway: render everything first, then under both locks snapshot → upload to temporary
 * files → check → rename → apply the renderer's non-disruptive sequence → verify. Any failure restores the snapshot
 * (verified) and throws a PushError naming the failed step; the returned state is what `inspect()` compares with.
 */
export async function pushDynamicPeers(host: GatewayHost, input: DynamicPeersInput, options: PushOptions = {}): Promise<PushResult> {
  let plan: PushPlan;
  try {
    plan = planDynamicPeers(input);
  } catch (e) {
    if (e instanceof PushInputError) throw new PushError("render", host.identity, e.message, true, undefined);
    throw new PushError("render", host.identity, (e as Error).message, true);
  }
  return applyPushPlan(host, plan, options);
}

/** Applies a plan made by planDynamicPeers (exposed so tests and tools can inspect or alter the plan first). */
export function applyPushPlan(host: GatewayHost, plan: PushPlan, options: PushOptions = {}): Promise<PushResult> {
  return runPush(host, () => plan, options);
}

/**
 * The locked transaction around a plan made from the snapshot (a per-peer push needs the gateway's record, read
 * under the lock, to know the other peers). A plan that cannot be made fails before anything is changed.
 */
export async function runPush(host: GatewayHost, makePlan: (snapshot: GatewayView) => PushPlan, options: PushOptions = {}): Promise<PushResult> {
  return (await runPushAll([{ host }], makePlan, options))[0]!;
}

/** One router of a push: its session, and how messages name it (CloudStack's router name, when known). */
export interface PushTarget {
  host: GatewayHost;
  /** e.g. `router r-6-VM`; messages say `<label> (<user@host:port>)`. @default - the SSH target alone */
  label?: string;
}

export interface PushAllOptions extends PushOptions {
  /**
   * A router whose strongSwan is stopped (a redundant pair's BACKUP: CloudStack runs `ipsec` only on the PRIMARY)
   * gets the files, firewall and heal watcher; charon loads them when it starts. At least one router of the push
   * must run strongSwan, so the rendered connections are verified as loaded somewhere. @default false (refused)
   */
  allowStoppedStrongSwan?: boolean;
}

interface Leg {
  target: PushTarget;
  name: string;
  lock?: HeldCommand;
  before?: GatewayView;
  temps: string[];
  steps: PushResult["steps"];
  current: PushStep;
  t0: number;
}

class LegFailure extends Error {
  constructor(
    readonly leg: Leg,
    readonly step: PushStep,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const nameOf = (t: PushTarget): string => (t.label ? `${t.label} (${t.host.identity})` : t.host.identity);

/** Holds every host's in-process mutex (in a fixed order, so two pushes to the same pair never deadlock). */
function withMutexes<T>(targets: readonly PushTarget[], fn: () => Promise<T>): Promise<T> {
  const keys = [...new Set(targets.map((t) => t.host.identity))].sort();
  return keys.reduceRight<() => Promise<T>>((inner, key) => () => withHostMutex(key, inner), fn)();
}

/**
 * One transaction over every router of a VPC (one, or the two of a redundant pair): all are locked and read, and
 * every plan is made and checked, before any is changed; then each is changed and verified — routers with strongSwan
 * stopped first, the irrevocable steps (ending changed SAs, dropping flows) last for all. Any failure restores every
 * router that was touched, so the pair holds the new configuration on both or on neither.
 */
export function runPushAll(targets: readonly PushTarget[], makePlan: (snapshot: GatewayView) => PushPlan, options: PushAllOptions = {}): Promise<PushResult[]> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const verifyTimeoutMs = options.verifyTimeoutMs ?? 10_000;
  if (targets.length === 0) return Promise.resolve([]);
  return withMutexes(targets, async () => {
    const legs: Leg[] = targets.map((target) => ({ target, name: nameOf(target), temps: [], steps: [], current: "lock", t0: performance.now() }));
    const step = (leg: Leg) => async <T>(name: PushStep, fn: () => Promise<T>): Promise<T> => {
      leg.current = name;
      const s = performance.now();
      try {
        const v = await fn();
        leg.steps.push({ step: name, ms: performance.now() - s });
        return v;
      } catch (e) {
        if (e instanceof LegFailure || e instanceof PushError) throw e;
        throw new LegFailure(leg, e instanceof StepFailure ? e.step : name, e instanceof StepFailure ? e.detail : (e as Error).message);
      }
    };
    const single = legs.length === 1;
    const others = (leg: Leg): string => legs.filter((l) => l !== leg).map((l) => l.name).join(", ");
    try {
      for (const leg of legs) {
        try {
          leg.lock = await step(leg)("lock", () => acquireRemoteLock(leg.target.host, lockTimeoutMs));
        } catch (e) {
          const why = e instanceof LegFailure ? e.detail : (e as Error).message;
          throw new PushError("lock", leg.name, single ? why : `${why} (no router of the pair was changed)`, true);
        }
      }
      const plans: { leg: Leg; plan: PushPlan; snap: GatewayView }[] = [];
      for (const leg of legs) {
        const host = leg.target.host;
        const snap = await step(leg)("snapshot", () => readGateway(host));
        if (snap.status.stopped && !options.allowStoppedStrongSwan) {
          throw new LegFailure(leg, "snapshot", "strongSwan is not running on this router (`ipsec statusall` exited 3: no starter); start it with `ipsec start`, or, for the BACKUP of a redundant VPC, push to both routers of the pair (`ssh.secondRouter`)");
        }
        let plan: PushPlan;
        try {
          plan = withHeal(makePlan(snap));
        } catch (e) {
          const failed: PushStep = e instanceof StateFileError ? "snapshot" : "render";
          throw new PushError(failed, leg.name, `${(e as Error).message} (nothing was changed)`, true);
        }
        const ids = plan.state.peers.map((p) => p.bag.peer_id ?? "").filter(Boolean);
        if (ids.length > 0) {
          const foreign = await step(leg)("check-secrets", () => readForeignSecrets(host));
          const conflicts = foreignSecretConflicts(foreign, [...ids, dynamicResponderId(plan.state.gateway.publicIp)]);
          if (conflicts.length > 0) throw new PushError("check-secrets", leg.name, `${conflicts.join("; ")} (nothing was changed${single ? "" : " on any router of the pair"})`, true);
        }
        plans.push({ leg, plan, snap });
      }
      if (options.allowStoppedStrongSwan && plans.every((p) => p.snap.status.stopped)) {
        throw new LegFailure(plans[0]!.leg, "snapshot", `strongSwan runs on no router of this push (CloudStack starts it on the PRIMARY of a redundant pair), so the rendered connections cannot be verified; retry when listRouters shows a PRIMARY${single ? " and it can be reached" : ""}`);
      }
      // A stopped router first: nothing there is irrevocable, and a failure leaves the running one untouched.
      const order = [...plans].sort((a, b) => Number(!a.snap.status.stopped) - Number(!b.snap.status.stopped));
      const finishes: { leg: Leg; changed: boolean; finish: () => Promise<void> }[] = [];
      for (const { leg, plan, snap } of order) {
        leg.before = snap;
        finishes.push({ leg, ...(await transaction(leg.target.host, plan, snap, leg.temps, step(leg), verifyTimeoutMs)) });
      }
      for (const f of finishes) await f.finish();
      return plans.map(({ leg, plan }) => ({ state: plan.state, changed: finishes.find((f) => f.leg === leg)!.changed, steps: leg.steps, durationMs: performance.now() - leg.t0, warnings: plan.warnings ?? [] }));
    } catch (e) {
      if (e instanceof PushError) throw e;
      const failure = e instanceof LegFailure ? e : new LegFailure(legs[0]!, legs[0]!.current, (e as Error).message);
      const touched = legs.filter((l) => l.before);
      if (touched.length === 0) throw new PushError(failure.step, failure.leg.name, `${failure.detail} (nothing was changed${single ? "" : " on any router of the pair"})`, true);
      const outcomes: { leg: Leg; ok: boolean; left?: string }[] = [];
      for (const leg of touched) {
        const outcome = await restoreSnapshot(leg.target.host, leg.before!, leg.temps, lockTimeoutMs, verifyTimeoutMs);
        if (outcome.lock) leg.lock = outcome.lock;
        outcomes.push({ leg, ok: outcome.ok, ...(outcome.left ? { left: outcome.left } : {}) });
      }
      const ok = outcomes.every((o) => o.ok);
      const left = outcomes.filter((o) => !o.ok).map((o) => (single ? o.left! : `${o.leg.name}: ${o.left}`)).join("; ");
      const other = outcomes.find((o) => o.leg !== failure.leg);
      const pairNote = single ? "" : ` (the other router of the pair, ${others(failure.leg)}, was ${!other ? "not changed" : other.ok ? "restored too" : "NOT restored"})`;
      throw new PushError(failure.step, failure.leg.name, `${failure.detail}${pairNote}`, ok, ok ? undefined : left);
    } finally {
      for (const leg of legs) await leg.lock?.release().catch(() => undefined);
    }
  });
}

/**
 * Adds the s2s-heal files (render/heal.ts) while at least one peer is pushed; with none, they are strays and go.
 * They are not part of the PushState (its hash and files stay what the peers make them); inspect() checks them.
 */
export function withHeal(plan: PushPlan): PushPlan {
  if (plan.state.peers.length === 0) return plan;
  return { ...plan, files: [...plan.files, ...renderHeal(plan.firewall)] };
}

const isHealPath = (p: string): boolean => HEAL_PATHS.includes(p);

async function transaction(
  host: GatewayHost,
  plan: PushPlan,
  snap: GatewayView,
  temps: string[],
  step: <T>(name: PushStep, fn: () => Promise<T>) => Promise<T>,
  verifyTimeoutMs: number,
): Promise<{ changed: boolean; finish: () => Promise<void> }> {
  const idle = { changed: false, finish: async () => undefined };
  // A stopped strongSwan (a redundant pair's BACKUP) has nothing loaded and nothing to reload: its files are read
  // when CloudStack starts it on becoming PRIMARY.
  const stopped = snap.status.stopped === true;
  // The gateway's record goes with the files: written, verified and restored with them.
  const writes = [...plan.files, stateFile(plan.state)];
  const keep = new Set(plan.keepFiles ?? []);
  const keepBases = plan.keepBases ?? [];
  const desired = new Set([...writes.map((f) => f.path), ...keep]);
  // Own files nobody asked for (state lost, or left by an earlier tool version): they are ours by name, so they go.
  const strays = [...snap.files.keys()].filter((p) => !desired.has(p) && !plan.removeFiles.includes(p));
  const removals = [...plan.removeFiles, ...strays].filter((p) => snap.files.has(p));
  // Connections of removed conf files that are still loaded (any generation): unloaded by the reload, then ended.
  const expectedNames = new Set(plan.connections.map((c) => c.name));
  const goneBases = removals.filter((p) => p.endsWith(".conf")).map((p) => p.slice(p.lastIndexOf("/") + 1, -5));
  // Also old generations of a peer this push renders whose settings changed in a way its record cannot show (the
  // renderer itself changed, e.g. the VPC side's identity in issue 10): unloaded by the reload, their SA ended once —
  // one re-authentication, and no SA authenticated under the old layout survives the migration.
  const renderedBases = new Set(plan.connections.map((c) => generationBase(c.name)));
  const strayConns = ownLoaded(snap.status)
    .map((c) => c.name)
    .filter((n) => !expectedNames.has(n) && (goneBases.some((b) => ofBase(n, b)) || (renderedBases.has(generationBase(n)) && !keepBases.some((b) => ofBase(n, b)))));
  const toWrite = writes.filter((f) => {
    const cur = snap.files.get(f.path);
    return !cur || cur.mode !== f.mode || !cur.content.equals(Buffer.from(f.content, "utf8"));
  });

  await step("upload", async () => {
    for (const f of toWrite) {
      const tmp = tempPathFor(f.path);
      temps.push(tmp);
      await host.writeFile(tmp, f.content, { mode: f.mode });
    }
  });
  await step("check-conf", async () => {
    for (const [i, f] of toWrite.entries()) {
      const tmp = temps[i]!;
      const [info, bytes] = await Promise.all([host.stat(tmp), host.readFile(tmp)]);
      if (!info || info.mode !== f.mode) throw new StepFailure("check-conf", `${tmp} has mode ${info ? info.mode.toString(8) : "none"}, expected ${f.mode.toString(8)}`);
      if (!bytes || sha(bytes) !== sha(f.content)) throw new StepFailure("check-conf", `${tmp} does not hold the rendered bytes for ${f.path}`);
    }
  });
  const restoreText = restoreToTarget(plan.firewall, snap.firewall);
  const firewallDrift = firewallProblems(snap.firewall, plan.firewall).length > 0;
  await step("check-firewall", () => mustRun(host, "check-firewall", "iptables-restore -w 10 --noflush --test", restoreText));

  const loadedProblems = connectionProblems(snap.status, plan.connections, keepBases).filter((p) => !strayConns.some((c) => p.startsWith(`${c} `)));
  // The heal files are not strongSwan configuration: writing or removing them needs no reload.
  const reload = !stopped && (plan.reload || toWrite.some((f) => f.path !== STATE_PATH && !isHealPath(f.path)) || removals.some((p) => !isHealPath(p)) || loadedProblems.length > 0);
  const healWanted = plan.files.some((f) => f.path === HEAL_SCRIPT_PATH);
  const healStopped = healWanted && !snap.heal.running;
  if (!reload && toWrite.length === 0 && removals.length === 0 && !firewallDrift && !healStopped && plan.downAfter.length === 0 && plan.conntrack.length === 0) return idle;
  // The verify below also waits until the old generations (plan.waitUnloaded) are gone: they are not expected.

  await step("rename", async () => {
    for (const [i, f] of toWrite.entries()) await host.rename(temps[i]!, f.path);
    temps.length = 0;
  });
  await step("remove-files", async () => {
    for (const p of removals) await host.remove(p);
  });
  await step("firewall-apply", () => mustRun(host, "firewall-apply", "iptables-restore -w 10 --noflush", restoreText));
  if (reload) {
    await step("reload", async () => {
      await mustRun(host, "reload", "ipsec rereadsecrets");
      await mustRun(host, "reload", "ipsec update");
    });
  }
  if (!stopped)
    await step("verify-connections", () =>
      waitUntil("connections loaded as rendered", verifyTimeoutMs, async () => connectionProblems(await readStatus(host), plan.connections, keepBases)).catch((e: Error) => {
      throw new StepFailure("verify-connections", e.message);
    }),
  );
  await step("verify-firewall", async () => {
    const problems = firewallProblems(await readFirewall(host), plan.firewall);
    if (problems.length > 0) throw new StepFailure("verify-firewall", problems.slice(0, 5).join("; "));
  });
  await step("verify-files", async () => {
    const now = await readOwnFiles(host);
    const problems = writes.filter((f) => now.get(f.path)?.mode !== f.mode || sha(now.get(f.path)!.content) !== sha(f.content)).map((f) => `${f.path} differs`);
    problems.push(...[...now.keys()].filter((p) => !desired.has(p)).map((p) => `${p} should be gone`));
    if (problems.length > 0) throw new StepFailure("verify-files", problems.join("; "));
  });
  // The watcher: started (a no-op when it runs; a running one re-executes a newer script by itself), or, with the
  // last peer gone, waited for (it ends once its rules file is removed).
  await step("heal", async () => {
    if (healWanted) await mustRun(host, "heal", HEAL_START_COMMAND);
    else if (snap.files.has(HEAL_SCRIPT_PATH) || snap.heal.running) await mustRun(host, "heal", HEAL_GONE_COMMAND);
  });
  // Irrevocable, so last (after every router of the push is verified): the changed peers renegotiate with the new
  // settings; removed sources lose their flows.
  const finish = async (): Promise<void> => {
    if (!stopped)
      await step("down-changed", async () => {
        for (const c of [...new Set([...plan.downAfter, ...strayConns])]) {
          if (!OWN_CONNECTION.test(c)) throw new StepFailure("down-changed", `connection name ${JSON.stringify(c)} is not an own s2s-* name`);
          await mustRun(host, "down-changed", `ipsec down ${c}`);
        }
      });
    await step("conntrack", async () => {
      for (const c of plan.conntrack) await mustRun(host, "conntrack", c);
    });
  };
  return { changed: true, finish };
}

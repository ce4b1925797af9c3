/**
 * The routers a push goes to: one, or both routers of a redundant VPC (`redundantvpcrouter`: VRRP moves the public
 * IP to the BACKUP when the PRIMARY fails, and CloudStack starts `ipsec` there). A peer pushed to the PRIMARY alone
 * is gone after a failover, so every push goes to both routers in one transaction (push.ts `runPushAll`).
 *
 * CloudStack names the routers (listRouters: id, name, `linklocalip`, `redundantstate`); the access spec says how
 * to reach each (`ssh` and `ssh.secondRouter`). They are matched by control address.
 */
import { routerAccesses, sshTarget, type SshAccessSpec } from "../model/gateway-access";
import type { GatewayHost } from "./gateway-host";
import { strongSwanStopped } from "./gateway-state";
import { HostKeyMismatchError } from "./host-key";
import type { PushTarget } from "./push";
import { connectAccess } from "./session";

/** A router as listRouters describes it (the fields used here). */
export interface CloudRouter {
  id: string;
  name?: string;
  state?: string;
  linklocalip?: string;
  redundantstate?: string;
  isredundantrouter?: boolean;
}

const describeRouter = (r: CloudRouter): string => `${r.name ?? r.id} (${[r.linklocalip, r.redundantstate, r.state].filter(Boolean).join(", ")})`;

/**
 * What is wrong with pushing through `ssh` to a VPC whose routers are `routers` (undefined: CloudStack did not say,
 * e.g. listRouters is admin-only): a redundant pair reached through one router only loses every pushed peer at the
 * first failover, so it is refused before anything is pushed.
 */
export function routerCoverageProblem(ssh: SshAccessSpec, routers: readonly CloudRouter[] | undefined): string | undefined {
  if (!routers || routers.length < 2 || ssh.secondRouter) return undefined;
  return (
    `the VPC has a redundant router pair — ${routers.map(describeRouter).join(" and ")} — but the access reaches only ${sshTarget(ssh)}; ` +
    "a peer pushed to one router is lost when VRRP moves the public IP to the other. Set `ssh.secondRouter` (the other router's control address and its pinned host key) so every push goes to both"
  );
}

/** `router r-6-VM` when CloudStack lists a router with that control address, else undefined. */
export function routerLabel(access: SshAccessSpec, routers: readonly CloudRouter[] | undefined): string | undefined {
  const r = routers?.find((x) => x.linklocalip !== undefined && x.linklocalip === access.host);
  return r ? `router ${r.name ?? r.id}` : undefined;
}

/** A router's host key accepted under `acceptRecreatedRouterKey` (not secret: a fingerprint). */
export interface AcceptedHostKey {
  /** The access's `host:port` it applies to. */
  target: string;
  routerId: string;
  routerName?: string;
  fingerprint: string;
}

/** What decides a key other than the pin (only under `ssh.acceptRecreatedRouterKey` for new acceptances). */
export interface KeyTrust {
  /** Keys accepted earlier (a resource's `acceptedHostKeys`): used for their router while it presents them. */
  accepted?: readonly AcceptedHostKey[];
  /** Router ids recorded at the last successful push; without them (first push, refresh) nothing new is accepted. */
  recordedRouterIds?: readonly string[];
}

const targetOf = (a: SshAccessSpec): string => `${a.host}:${a.port ?? 3922}`;

/**
 * The router CloudStack reports at this access's control address, when its id is none of the recorded ones: a
 * re-created router. A single-router VPC whose control address is not listed (reached another way) counts too.
 */
function recreatedRouter(access: SshAccessSpec, pair: boolean, routers: readonly CloudRouter[] | undefined, recorded: readonly string[] | undefined): CloudRouter | undefined {
  if (!routers || !recorded || recorded.length === 0) return undefined;
  const here = routers.find((r) => r.linklocalip === access.host) ?? (!pair && routers.length === 1 ? routers[0] : undefined);
  return here && !recorded.includes(here.id) ? here : undefined;
}

export interface RouterSession {
  access: SshAccessSpec;
  label?: string;
  /** `label (user@host:port)`, or the SSH target alone. */
  name: string;
  host?: GatewayHost;
  /** Why it could not be reached (only with `allowPartialPush`). */
  unreachable?: string;
  /** The host key this session trusted instead of the pin (accepted now or earlier). */
  accepted?: AcceptedHostKey;
}

/** A failed connection that may mean "the router is down" (never a refused host key or a refused login key). */
function isUnreachable(e: unknown): boolean {
  if (e instanceof HostKeyMismatchError) return false;
  return !/authentication refused|cannot be used/.test((e as Error).message ?? "");
}

/** Sessions to every router of the access spec; close() them all. */
export class RouterSet {
  private constructor(
    readonly sessions: RouterSession[],
    readonly pair: boolean,
  ) {}

  /**
   * Connects to every router (in parallel). A router that cannot be reached fails the whole set with an error naming
   * it — unless the spec allows a partial push and another router answered; a refused host key always fails.
   */
  static async open(ssh: SshAccessSpec, routers?: readonly CloudRouter[], connect: (a: SshAccessSpec) => Promise<GatewayHost> = connectAccess, trust: KeyTrust = {}): Promise<RouterSet> {
    const accesses = routerAccesses(ssh);
    const sessions: RouterSession[] = accesses.map((access) => {
      const label = routerLabel(access, routers);
      return { access, name: label ? `${label} (${sshTarget(access)})` : sshTarget(access), ...(label ? { label } : {}) };
    });
    const pair = accesses.length > 1;
    // A key other than the pin: one accepted earlier for this router, or (opt-in) a router CloudStack reports as new.
    const connectTrusting = async (a: SshAccessSpec, session: RouterSession): Promise<GatewayHost> => {
      try {
        return await connect(a);
      } catch (e) {
        if (!(e instanceof HostKeyMismatchError)) throw e;
        const earlier = trust.accepted?.find((k) => k.target === targetOf(a) && k.fingerprint === e.presented);
        const fresh = !earlier && ssh.acceptRecreatedRouterKey ? recreatedRouter(a, pair, routers, trust.recordedRouterIds) : undefined;
        if (!earlier && !fresh) {
          if (!ssh.acceptRecreatedRouterKey) throw e;
          throw new HostKeyMismatchError(e.target, e.field, e.expected, e.presented, e.presentedType, "`acceptRecreatedRouterKey` is set, but CloudStack does not report a re-created router at this address (its listRouters id is one recorded at the last push, or unknown), so the key is not accepted");
        }
        const host = await connect({ ...a, hostKey: e.presented });
        session.accepted = earlier ?? { target: targetOf(a), routerId: fresh!.id, ...(fresh!.name ? { routerName: fresh!.name } : {}), fingerprint: e.presented };
        return host;
      }
    };
    const results = await Promise.allSettled(accesses.map((a, i) => connectTrusting(a, sessions[i]!)));
    results.forEach((r, i) => {
      if (r.status === "fulfilled") sessions[i]!.host = r.value;
    });
    const set = new RouterSet(sessions, accesses.length > 1);
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [{ session: sessions[i]!, error: r.reason as Error }] : []));
    const fatal = failed.find((f) => !isUnreachable(f.error)) ?? (failed.length === sessions.length || !ssh.allowPartialPush ? failed[0] : undefined);
    if (fatal) {
      await set.close();
      if (fatal.error instanceof HostKeyMismatchError || !set.pair) throw fatal.error;
      const other = sessions.find((s) => s !== fatal.session)!;
      const bothDown = failed.length === sessions.length;
      throw new Error(
        `${fatal.session.name}, one router of the redundant pair, cannot be reached: ${fatal.error.message}. Nothing was pushed to either router (${other.name} ${bothDown ? "cannot be reached either" : "answered"}). ` +
          (bothDown || !isUnreachable(fatal.error)
            ? "Check both routers (listRouters state) and the access spec"
            : "Bring the router back (listRouters shows its state; startRouter), or set `ssh.allowPartialPush: true` to push to the reachable router and record this one as out of sync until the next push"),
      );
    }
    for (const f of failed) f.session.unreachable = f.error.message;
    return set;
  }

  /** The routers a push goes to (the reachable ones). */
  targets(): PushTarget[] {
    return this.sessions.flatMap((s) => (s.host ? [{ host: s.host, ...(s.label ? { label: s.label } : {}) }] : []));
  }

  /** Host keys trusted instead of a pin (accepted now under `acceptRecreatedRouterKey`, or earlier). */
  acceptedKeys(): AcceptedHostKey[] {
    return this.sessions.flatMap((s) => (s.accepted ? [s.accepted] : []));
  }

  /**
   * Drift lines across the set: each router's own lines (named by router in a pair), then the routers left out
   * because they could not be reached. Every front end reports a pair's drift this way.
   */
  driftLines(perRouter: readonly { name: string; lines: readonly string[] }[]): string[] {
    return [...perRouter.flatMap((r) => r.lines.map((l) => (this.pair ? `${r.name}: ${l}` : l))), ...this.unreachableLines()];
  }

  /** Drift lines for routers left out because they could not be reached (`allowPartialPush`). */
  unreachableLines(): string[] {
    return this.sessions.flatMap((s) => (s.unreachable ? [`${s.name}: not reached (${s.unreachable}); it does not hold this push — the next push repairs it (allowPartialPush)`] : []));
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.host?.close().catch(() => undefined)));
  }
}

/** Opens the routers of `ssh`, runs `fn`, closes them. */
export async function withRouters<T>(ssh: SshAccessSpec, routers: readonly CloudRouter[] | undefined, fn: (set: RouterSet) => Promise<T>, trust: KeyTrust = {}): Promise<T> {
  const set = await RouterSet.open(ssh, routers, connectAccess, trust);
  try {
    return await fn(set);
  } finally {
    await set.close();
  }
}

/**
 * For reading a VPC's live state (`status`, `doctor`): the router that carries the tunnels — of a redundant pair,
 * the one whose strongSwan runs (the PRIMARY); the other may be down. A single router is used as it is.
 */
export async function withActiveRouter<T>(ssh: SshAccessSpec, fn: (host: GatewayHost, name: string) => Promise<T>): Promise<T> {
  const set = await RouterSet.open(ssh.secondRouter ? { ...ssh, allowPartialPush: true } : ssh);
  try {
    const reachable = set.sessions.filter((s) => s.host);
    let active = reachable[0]!;
    for (const s of reachable) {
      if (!strongSwanStopped(await s.host!.exec("ipsec statusall"))) {
        active = s;
        break;
      }
    }
    return await fn(active.host!, active.name);
  } finally {
    await set.close();
  }
}

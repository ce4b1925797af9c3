import type { GatewayHost, HeldCommand } from "./gateway-host";

/**
 * Two locks, because either alone leaves a gap: the in-process mutex serialises resources of one stack (one
 * process, possibly several SSH connections to the same gateway); the remote `flock` serialises separate processes
 * (two stacks, a CLI run). The remote lock is held by a command that waits on its stdin, so it ends, and releases
 * the lock, when we close the channel or the SSH connection drops: a crashed pusher cannot leave it stuck.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withHostMutex<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous.catch(() => undefined);
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

export const REMOTE_LOCK_PATH = "/run/cloudstack-s2s-push.lock";
export const REMOTE_LOCK_READY = "S2S-LOCK-HELD";

export function remoteLockCommand(waitSeconds: number): string {
  const w = Math.max(1, Math.min(600, Math.floor(waitSeconds)));
  return `umask 077; exec flock -x -w ${w} ${REMOTE_LOCK_PATH} sh -c 'echo ${REMOTE_LOCK_READY}; exec cat >/dev/null'`;
}

export function acquireRemoteLock(host: GatewayHost, timeoutMs: number): Promise<HeldCommand> {
  return host.hold(remoteLockCommand(timeoutMs / 1000), { readyText: REMOTE_LOCK_READY, timeoutMs: timeoutMs + 5_000 });
}

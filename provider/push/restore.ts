import { randomBytes } from "node:crypto";
import { restoreToSnapshot } from "../render/push-firewall";
import { firstLines } from "./errors";
import type { GatewayHost, HeldCommand } from "./gateway-host";
import { IPSEC_DIR, readFirewall, readOwnFiles, readStatus, sameFiles, sameFirewall, sameLoaded, TEMP_NAME, type GatewayView } from "./gateway-state";
import { acquireRemoteLock } from "./lock";

export function tempPathFor(path: string): string {
  // Beside the target: a rename never crosses a file system or a bind mount.
  const dir = path.slice(0, path.lastIndexOf("/")) || IPSEC_DIR;
  const base = path.slice(path.lastIndexOf("/") + 1);
  return `${dir}/.s2s-tmp-${randomBytes(6).toString("hex")}-${base}`;
}

export async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<string[]>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    last = await probe();
    if (last.length === 0) return;
    if (Date.now() >= deadline) throw new Error(`${what} not reached within ${timeoutMs} ms: ${last.slice(0, 5).join("; ")}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

export interface RestoreOutcome {
  ok: boolean;
  /** When !ok: what the gateway holds, as far as it could be read. */
  left?: string;
  /** The lock holder, possibly re-acquired after a reconnect. */
  lock?: HeldCommand;
}

/**
 * Puts the snapshot back: own files (content and mode, through temp + rename), own chains and jumps, then
 * `ipsec rereadsecrets` + `ipsec update`, and verifies all three against the snapshot. A dropped connection is
 * re-opened (and the remote lock re-taken) first.
 */
export async function restoreSnapshot(host: GatewayHost, before: GatewayView, temps: readonly string[], lockTimeoutMs: number, verifyTimeoutMs: number): Promise<RestoreOutcome> {
  let lock: HeldCommand | undefined;
  let stage = "reconnect";
  try {
    if (!host.connected) {
      if (!host.reconnect) throw new Error("the connection dropped and this host cannot reconnect");
      await host.reconnect();
      stage = "re-take the remote lock";
      lock = await acquireRemoteLock(host, lockTimeoutMs);
    }
    stage = "restore files";
    for (const t of temps) await host.remove(t);
    const now = await readOwnFiles(host);
    for (const path of now.keys()) if (!before.files.has(path)) await host.remove(path);
    for (const [path, f] of before.files) {
      const cur = now.get(path);
      if (cur && cur.mode === f.mode && cur.content.equals(f.content)) continue;
      const tmp = tempPathFor(path);
      await host.writeFile(tmp, f.content, { mode: f.mode });
      await host.rename(tmp, path);
    }
    stage = "restore firewall";
    const fw = await readFirewall(host);
    if (!sameFirewall(fw, before.firewall)) {
      const r = await host.exec("iptables-restore -w 10 --noflush", { stdin: restoreToSnapshot(before.firewall, fw) });
      if (r.code !== 0) throw new Error(`iptables-restore exited ${r.code}: ${firstLines(r.stderr)}`);
    }
    stage = "reload strongSwan";
    // Stopped (a redundant pair's BACKUP): nothing was loaded, and charon reads the restored files when it starts.
    const stopped = before.status.stopped === true;
    for (const c of stopped ? [] : ["ipsec rereadsecrets", "ipsec update"]) {
      const r = await host.exec(c);
      if (r.code !== 0) throw new Error(`\`${c}\` exited ${r.code}: ${firstLines(r.stderr || r.stdout)}`);
    }
    stage = "verify the restore";
    const fileDiffs = sameFiles(before.files, await readOwnFiles(host));
    if (fileDiffs.length > 0) throw new Error(`files: ${fileDiffs.join("; ")}`);
    if (!sameFirewall(await readFirewall(host), before.firewall)) throw new Error("own chains or jumps differ from the snapshot");
    const leftovers = (await host.list(IPSEC_DIR)).filter((n) => TEMP_NAME.test(n) && temps.some((t) => t.endsWith(`/${n}`)));
    if (leftovers.length > 0) throw new Error(`temporary files left: ${leftovers.join(", ")}`);
    if (!stopped) await waitUntil("loaded connections equal to the snapshot", verifyTimeoutMs, async () => (sameLoaded(await readStatus(host), before.status) ? [] : ["own connections loaded in charon differ from the snapshot"]));
    return { ok: true, ...(lock ? { lock } : {}) };
  } catch (e) {
    return { ok: false, left: `restore stopped at "${stage}" (${(e as Error).message}); ${await describeLeft(host, before)}`, ...(lock ? { lock } : {}) };
  }
}

async function describeLeft(host: GatewayHost, before: GatewayView): Promise<string> {
  if (!host.connected) return "the gateway could not be reached to read its state: it may hold the new files, rules or connections in part; run inspect() and push again";
  try {
    const files = sameFiles(before.files, await readOwnFiles(host));
    const fw = sameFirewall(await readFirewall(host), before.firewall);
    return `own files ${files.length === 0 ? "as before" : `differ: ${files.join("; ")}`}; own chains ${fw ? "as before" : "differ from before"}; run inspect() and push again`;
  } catch (e) {
    return `its state could not be read (${(e as Error).message}); run inspect() and push again`;
  }
}

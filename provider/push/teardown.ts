/**
 * After the last pushed peer is removed, the push's bookkeeping goes too: its record (s2s-state.json), its own
 * chains and the jumps to them, so `unpush` of the last site leaves the router as CloudStack made it. Under both
 * locks, re-checked there: a concurrent push that added a peer meanwhile keeps everything. Only our names are
 * touched; CloudStack's rules and files never are.
 */
import { PushError } from "./errors";
import type { GatewayHost } from "./gateway-host";
import { readFirewall, readOwnFiles, STATE_PATH } from "./gateway-state";
import { acquireRemoteLock, withHostMutex } from "./lock";
import { parseStateFile } from "./remote-state";
import { OWN_CHAINS, restoreToSnapshot, type FirewallSnapshot } from "../render/push-firewall";

const NOTHING_OF_OURS: FirewallSnapshot = { chains: OWN_CHAINS.map((c) => ({ table: c.table, chain: c.chain, exists: false, rules: [] })), jumps: [] };

/** True when it removed the empty record and own chains; false when peers (or files of other peers) remain. */
export function removeEmptyPushState(host: GatewayHost, lockTimeoutMs = 30_000): Promise<boolean> {
  return withHostMutex(host.identity, async () => {
    const lock = await acquireRemoteLock(host, lockTimeoutMs);
    try {
      const record = parseStateFile(await host.readFile(STATE_PATH));
      if (!record || record.peers.length > 0) return false;
      // Own-named files the record does not list (another tool, a lost record) keep the gateway "in use".
      if ([...(await readOwnFiles(host)).keys()].some((p) => p !== STATE_PATH)) return false;
      const current = await readFirewall(host);
      if (current.jumps.length > 0 || current.chains.some((c) => c.exists)) {
        const r = await host.exec("iptables-restore -w 10 --noflush", { stdin: restoreToSnapshot(NOTHING_OF_OURS, current) });
        if (r.code !== 0) throw new PushError("firewall-apply", host.identity, `removing the push's own chains failed: ${(r.stderr || r.stdout).split("\n")[0]} (the record is kept; run unpush again)`, true);
      }
      await host.remove(STATE_PATH);
      return true;
    } finally {
      await lock.release().catch(() => undefined);
    }
  });
}

import { firewallProblems, readGateway, STATE_PATH } from "./gateway-state";
import type { GatewayHost } from "./gateway-host";
import type { SaStatus } from "./ipsec-status";
import { connectionProblems } from "./gateway-state";
import { withHostMutex } from "./lock";
import { HEAL_PATHS, renderHeal, type HealStatus } from "../render/heal";
import { fileDigest, stateHash, type PushState } from "./state";

export interface FileDrift {
  path: string;
  problem: "missing" | "content" | "mode" | "unexpected";
  /** For mode drift: the mode found (octal text). */
  found?: string;
}

export interface ConnectionSa {
  connection: string;
  /** An IKE_SA of this connection is ESTABLISHED with an INSTALLED CHILD_SA. */
  established: boolean;
  /** Every IKE_SA charon lists for it (several during a re-authentication). */
  sas: SaStatus[];
  /** The peer's address as last seen (from the newest IKE_SA that shows one). */
  peerAddress?: string;
  bytesIn: number;
  bytesOut: number;
}

export interface DriftReport {
  /** No file, rule, jump or loaded-connection difference. SA state does not count as drift. */
  inSync: boolean;
  /** The hash of what the gateway holds now, comparable with `expected.hash`. */
  actualHash: string;
  files: FileDrift[];
  /** Missing/unexpected rules and jumps in our chains, one line each. */
  firewall: string[];
  /** Connections not loaded (or loaded differently), and own connections loaded that should not be. */
  connections: string[];
  /** Live SA status per expected connection. */
  sas: ConnectionSa[];
  /** strongSwan is stopped here (a redundant pair's BACKUP): loaded connections were not compared. */
  standby: boolean;
  /** The s2s-heal watcher (installed with the first peer, removed with the last) and what differs about it. */
  heal: HealStatus & { expected: boolean; problems: string[] };
}

/** The heal files as rendered for `expected`, compared with what the gateway holds, and the watcher running. */
function healProblems(expected: PushState, files: Map<string, { content: Buffer; mode: number }>, status: HealStatus): string[] {
  const problems: string[] = [];
  if (expected.peers.length === 0) {
    for (const p of HEAL_PATHS) if (files.has(p)) problems.push(`${p}: present although no peer is pushed`);
    if (status.running) problems.push(`s2s-heal watcher running (pid ${status.pid ?? "?"}) although no peer is pushed`);
    return problems;
  }
  for (const want of renderHeal(expected.firewall)) {
    const got = files.get(want.path);
    if (!got) problems.push(`${want.path}: missing`);
    else if (!got.content.equals(Buffer.from(want.content, "utf8"))) problems.push(`${want.path}: content differs from this version's (v${status.version ?? "?"} found)`);
    else if (got.mode !== want.mode) problems.push(`${want.path}: mode ${got.mode.toString(8)}, expected ${want.mode.toString(8)}`);
  }
  if (!status.running) problems.push("s2s-heal watcher not running (a push starts it; so does charon's start)");
  return problems;
}

/**
 * Compares a gateway with the state of the last push (files, own chains and jumps, loaded connections) and
 * reports live SA status per connection. Read-only; takes the in-process lock so it never reads a push mid-way.
 */
export function inspect(host: GatewayHost, expected: PushState): Promise<DriftReport> {
  return withHostMutex(host.identity, async () => {
    const view = await readGateway(host);
    const files: FileDrift[] = [];
    // The gateway's record is bookkeeping, not configuration: it is not part of the state it records.
    const actualFiles = [...view.files].filter(([path]) => path !== STATE_PATH && !HEAL_PATHS.includes(path)).map(([path, f]) => ({ path, mode: f.mode, digest: fileDigest(path, f.content) }));
    for (const want of expected.files) {
      const got = actualFiles.find((f) => f.path === want.path);
      if (!got) files.push({ path: want.path, problem: "missing" });
      else if (got.digest !== want.digest) files.push({ path: want.path, problem: "content" });
      else if (got.mode !== want.mode) files.push({ path: want.path, problem: "mode", found: got.mode.toString(8) });
    }
    for (const got of actualFiles) if (!expected.files.some((f) => f.path === got.path)) files.push({ path: got.path, problem: "unexpected" });
    const firewall = firewallProblems(view.firewall, expected.firewall);
    // A stopped strongSwan (a redundant pair's BACKUP) loads the files when it starts: nothing loaded is no drift.
    const connections = view.status.stopped ? [] : connectionProblems(view.status, expected.connections);
    const sas = expected.connections.map((c): ConnectionSa => {
      const mine = view.status.sas.filter((s) => s.connection === c.name);
      const latest = [...mine].sort((a, b) => b.ikeId - a.ikeId).find((s) => s.peerAddress);
      return {
        connection: c.name,
        established: mine.some((s) => s.established && s.childInstalled),
        sas: mine,
        ...(latest?.peerAddress ? { peerAddress: latest.peerAddress } : {}),
        bytesIn: mine.reduce((n, s) => n + s.bytesIn, 0),
        bytesOut: mine.reduce((n, s) => n + s.bytesOut, 0),
      };
    });
    const actualFirewall = {
      chains: expected.firewall.chains.map((c) => {
        const got = view.firewall.chains.find((x) => x.table === c.table && x.chain === c.chain);
        const jump = view.firewall.jumps.find((j) => j.table === c.table && j.chain === c.chain);
        return { ...c, rules: got?.rules ?? [], jump: jump?.rule ?? "(missing)" };
      }),
    };
    const actualHash = stateHash({ gateway: expected.gateway, files: actualFiles, firewall: actualFirewall, connections: connections.length === 0 ? expected.connections : [] });
    const heal = { ...view.heal, expected: expected.peers.length > 0, problems: healProblems(expected, view.files, view.heal) };
    return { inSync: files.length === 0 && firewall.length === 0 && connections.length === 0 && heal.problems.length === 0, actualHash, files, firewall, connections, sas, standby: view.status.stopped === true, heal };
  });
}

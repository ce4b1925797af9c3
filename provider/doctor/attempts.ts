/**
 * Groups charon lines into connection attempts. charon's default logs carry no IKE_SA name on most lines, so the
 * grouping follows how charon works: a worker thread handles one job (a received message, a retransmit, a DPD)
 * from start to end, so consecutive lines of one thread belong together; a job names its peer address
 * (`received packet: from A[500] …`) or its IKE_SA (`IKE_SA name[N] state change …`); an attempt starts with the
 * first IKE message (`is initiating an IKE_SA`, `initiating IKE_SA name[N] to A`).
 */
import type { LogLine } from "./parse";

export type Role = "initiator" | "responder" | "unknown";

export interface Attempt {
  /** Peer address as seen in this log (the router's public IP on a branch, the branch's or NAT's on the router). */
  remote?: string;
  /** This side's own address as seen in this log. */
  local?: string;
  role: Role;
  /** Connection name once charon knows it. */
  conn?: string;
  ikeVersion?: 1 | 2;
  lines: LogLine[];
  /** The attempt began before the log does (only later lines of an IKE_SA are present). */
  partial: boolean;
}

/** `conn NAME` blocks charon prints when starter adds a connection (`received stroke: add connection`). */
export type LoadedConfigs = Map<string, Record<string, string>>;

export interface Grouped {
  attempts: Attempt[];
  configs: LoadedConfigs;
}

const ADDR = String.raw`([0-9a-fA-F.:]+|%any)`;
const START_RESPONDER = new RegExp(String.raw`^${ADDR} is initiating an? (?:IKE_SA|Main Mode IKE_SA|Aggressive Mode IKE_SA)`);
const START_INITIATOR = /^initiating (?:(Main|Aggressive) Mode )?IKE_SA (\S+?)\[(\d+)\] to ([0-9a-fA-F.:]+)/;
const START_PARSED = /^parsed (IKE_SA_INIT|ID_PROT|AGGRESSIVE) request 0 /;
const IKE_SA_REF = /\bIKE_SA (\S+?)\[(\d+)\]/;

/** Remote and local address named by a line, if any. */
function addressesOf(text: string): { remote?: string; local?: string } {
  let m: RegExpExecArray | null;
  if ((m = /^received packet: from ([^[\s]+)\[\d+\] to ([^[\s]+)\[\d+\]/.exec(text))) return { remote: m[1]!, local: m[2]! };
  if ((m = /^sending packet: from ([^[\s]+)\[\d+\] to ([^[\s]+)\[\d+\]/.exec(text))) return { remote: m[2]!, local: m[1]! };
  if ((m = START_INITIATOR.exec(text))) return { remote: m[4]! };
  if ((m = START_RESPONDER.exec(text))) return { remote: m[1]! };
  if ((m = /^(?:looking for (?:an? )?IKEv[12] configs? for|no IKE config found for) (\S+?)\.\.\.([^,\s]+)/.exec(text))) return { local: m[1]!, remote: m[2]! };
  if ((m = /(?:matching|between) ([^[\s]+)\[[^\]]*\]\.\.\.([^[\s]+)\[/.exec(text))) return { local: m[1]!, remote: m[2]! };
  return {};
}

function isStart(text: string): boolean {
  return START_RESPONDER.test(text) || START_INITIATOR.test(text) || START_PARSED.test(text);
}

export function groupAttempts(lines: readonly LogLine[]): Grouped {
  const attempts: Attempt[] = [];
  const configs: LoadedConfigs = new Map();
  const bySaId = new Map<number, Attempt>();
  const byRemote = new Map<string, Attempt>();
  const byThread = new Map<number, Attempt>();
  let configOf: { thread: number; conf: Record<string, string> } | undefined;

  // Consecutive lines of one thread form one job.
  const chunks: LogLine[][] = [];
  for (const l of lines) {
    const last = chunks[chunks.length - 1];
    if (last && last[0]!.thread === l.thread) last.push(l);
    else chunks.push([l]);
  }

  for (const chunk of chunks) {
    const job: LogLine[] = [];
    for (const l of chunk) {
      // Connection definitions (starter → charon) are configuration, not attempts.
      const add = /^received stroke: add connection '([^']+)'/.exec(l.text);
      if (add) {
        const conf: Record<string, string> = {};
        configs.set(add[1]!, conf);
        configOf = { thread: l.thread, conf };
        continue;
      }
      if (configOf && configOf.thread === l.thread && l.group === "CFG" && (/^conn \S+$/.test(l.text) || /^ {2}[a-z_0-9]+=/.test(l.text))) {
        const kv = /^ {2}([a-z_0-9]+)=(.*)$/.exec(l.text);
        if (kv) configOf.conf[kv[1]!] = kv[2]!;
        continue;
      }
      configOf = undefined;
      if (l.thread === 0 || l.group === "DMN" || l.group === "LIB" || l.group === "JOB") continue;
      job.push(l);
    }
    if (job.length === 0) continue;

    let remote: string | undefined;
    let local: string | undefined;
    let saId: number | undefined;
    let saName: string | undefined;
    let start = false;
    for (const l of job) {
      const a = addressesOf(l.text);
      remote ??= a.remote !== "%any" ? a.remote : undefined;
      local ??= a.local;
      const ref = IKE_SA_REF.exec(l.text);
      if (l.ikeSaId !== undefined) saId ??= l.ikeSaId;
      else if (ref) saId ??= Number(ref[2]);
      if (ref && ref[1] !== "(unnamed)") saName ??= ref[1];
      if (l.conn) saName ??= l.conn;
      if (isStart(l.text)) start = true;
    }

    let attempt: Attempt | undefined;
    if (start) {
      attempt = { role: "unknown", lines: [], partial: false, ...(remote ? { remote } : {}) };
      attempts.push(attempt);
    } else if (saId !== undefined && bySaId.has(saId)) attempt = bySaId.get(saId);
    else if (remote && byRemote.has(remote)) attempt = byRemote.get(remote);
    else if (saId !== undefined || remote) {
      attempt = { role: "unknown", lines: [], partial: true, ...(remote ? { remote } : {}) };
      attempts.push(attempt);
    } else attempt = byThread.get(job[0]!.thread) ?? attempts[attempts.length - 1];
    // Configuration and daemon chatter before any IKE traffic belongs to no attempt.
    if (!attempt) continue;
    attempt.lines.push(...job);
    if (remote) {
      attempt.remote ??= remote;
      byRemote.set(remote, attempt);
    }
    if (local) attempt.local ??= local;
    if (saId !== undefined) bySaId.set(saId, attempt);
    if (saName) attempt.conn ??= saName;
    byThread.set(job[0]!.thread, attempt);
    for (const l of job) {
      if (START_RESPONDER.test(l.text) || START_PARSED.test(l.text)) attempt.role = "responder";
      const init = START_INITIATOR.exec(l.text);
      if (init) {
        attempt.role = "initiator";
        attempt.conn ??= init[2];
        attempt.ikeVersion = init[1] ? 1 : 2;
      }
      if (/^parsed (ID_PROT|AGGRESSIVE) request 0/.test(l.text) || /IKEv1 config/.test(l.text)) attempt.ikeVersion = 1;
      else if (/^parsed IKE_SA_INIT request 0/.test(l.text)) attempt.ikeVersion = 2;
      const selected = /^selected peer config '([^']+)'/.exec(l.text);
      if (selected) attempt.conn = selected[1];
    }
  }
  return { attempts: attempts.filter((a) => a.lines.length > 0), configs };
}

/**
 * Connection health from `ipsec statusall` (pure): per connection the IKE and CHILD state, the authenticated peer
 * ID and address, bytes/packets with how long ago they moved, and whether the router matches the site.
 * Exit codes of `cloudstack-s2s status`: 0 healthy, 3 degraded, 4 down.
 */
import { parseStrokeStatus, type IkeSaStatus } from "../push/sa-status";
import { parseStatusAll } from "../push/ipsec-status";
import { sameIdText, type SiteExpectation } from "./expect";

export type Health = "healthy" | "degraded" | "down";

export interface ConnectionHealth {
  connection: string;
  health: Health;
  ike: string;
  child: string;
  peerId?: string;
  peerAddress?: string;
  establishedSecondsAgo?: number;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  /** Seconds since a packet last went in/out, as charon counts it (absent: never). */
  lastInSecondsAgo?: number;
  lastOutSecondsAgo?: number;
  /** Differences between the router and the site (empty: it matches). */
  mismatches: string[];
  /** Why it is degraded or down, for people. */
  reasons: string[];
}

const UNIT: Record<string, number> = { s: 1, second: 1, seconds: 1, m: 60, minute: 60, minutes: 60, h: 3600, hour: 3600, hours: 3600, d: 86400, day: 86400, days: 86400 };
const secondsOf = (n: string, unit: string): number => Number(n) * (UNIT[unit] ?? 1);

interface Traffic {
  packetsIn: number;
  packetsOut: number;
  lastIn?: number;
  lastOut?: number;
}

/** Packets and "Ns ago" per CHILD_SA (`name{id}`) and "ESTABLISHED N unit ago" per IKE_SA (`name[id]`). */
function extras(text: string): { traffic: Map<string, Traffic>; age: Map<string, number> } {
  const traffic = new Map<string, Traffic>();
  const age = new Map<string, number>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const est = /^(\S+?\[\d+\]): ESTABLISHED (\d+) (\w+) ago/.exec(line);
    if (est) age.set(est[1]!, secondsOf(est[2]!, est[3]!));
    const child = /^(\S+?\{\d+\}):\s+.*bytes_i/.exec(line);
    if (!child) continue;
    const t: Traffic = { packetsIn: 0, packetsOut: 0 };
    const i = /bytes_i \((\d+) pkts?(?:, (\d+)(\w) ago)?\)/.exec(line);
    const o = /bytes_o \((\d+) pkts?(?:, (\d+)(\w) ago)?\)/.exec(line);
    if (i) {
      t.packetsIn = Number(i[1]);
      if (i[2]) t.lastIn = secondsOf(i[2], i[3]!);
    }
    if (o) {
      t.packetsOut = Number(o[1]);
      if (o[2]) t.lastOut = secondsOf(o[2], o[3]!);
    }
    traffic.set(child[1]!, t);
  }
  return { traffic, age };
}

/** The loaded connections that serve a site: same remote ID (dynamic peers) or remote address (static). */
export function siteConnections(statusText: string, site: SiteExpectation): string[] {
  const id = site.branchId?.text;
  return parseStatusAll(statusText)
    .connections.filter((c) => c.remoteId !== undefined && id !== undefined && sameIdText(c.remoteId, id))
    .map((c) => c.name);
}

function best(sas: IkeSaStatus[]): IkeSaStatus | undefined {
  const rank = (s: IkeSaStatus): number => (s.state === "ESTABLISHED" ? 2 : 1) * 10 + (s.children.some((c) => c.state === "INSTALLED") ? 1 : 0);
  return [...sas].sort((a, b) => rank(b) - rank(a) || b.id - a.id)[0];
}

export function connectionHealth(statusText: string, site?: SiteExpectation, names?: string[]): ConnectionHealth[] {
  const loaded = parseStatusAll(statusText).connections;
  const sas = parseStrokeStatus(statusText);
  const { traffic, age } = extras(statusText);
  const wanted = names ?? (site ? siteConnections(statusText, site) : loaded.map((c) => c.name));
  if (site && wanted.length === 0) {
    return [{ connection: `(site ${site.siteName})`, health: "down", ike: "none", child: "none", bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, mismatches: [`no loaded connection expects remote ID '${site.branchId?.text ?? "?"}'`], reasons: ["the router has no connection for this site: push it (or run `ipsec update` on the router)"] }];
  }
  return wanted.map((name) => {
    const conn = loaded.find((c) => c.name === name);
    const sa = best(sas.filter((s) => s.name === name));
    const child = sa?.children.find((c) => c.state === "INSTALLED") ?? sa?.children[0];
    const t = child ? traffic.get(`${child.name}{${child.id}}`) : undefined;
    const mismatches: string[] = [];
    if (!conn) mismatches.push("not loaded on the router");
    if (site && conn) {
      if (site.branchId && conn.remoteId && !sameIdText(conn.remoteId, site.branchId.text)) mismatches.push(`loaded remote ID '${conn.remoteId}' ≠ site '${site.branchId.text}'`);
      const ts = conn.children[0];
      if (ts && ts.localTs.join(",") !== site.vpcCidr) mismatches.push(`loaded local selectors ${ts.localTs.join(",")} ≠ vpnGateway.vpcCidr ${site.vpcCidr}`);
      if (ts && [...ts.remoteTs].sort().join(",") !== [...site.cidrList].sort().join(",")) mismatches.push(`loaded remote selectors ${ts.remoteTs.join(",")} ≠ customerGateway.cidrList ${site.cidrList.join(",")}`);
    }
    if (site?.branchId && sa?.remoteId && sa.state === "ESTABLISHED" && !sameIdText(sa.remoteId, site.branchId.text)) mismatches.push(`authenticated peer ID '${sa.remoteId}' ≠ site '${site.branchId.text}'`);
    const ikeUp = sa?.state === "ESTABLISHED";
    const childUp = child?.state === "INSTALLED";
    const reasons: string[] = [];
    if (!conn) reasons.push("connection not loaded");
    else if (!sa) reasons.push("no IKE_SA: the branch has not connected (run `cloudstack-s2s doctor` for the cause)");
    else if (!ikeUp) reasons.push(`IKE_SA ${sa.state}`);
    else if (!childUp) reasons.push("IKE_SA up but no CHILD_SA installed: connected but no traffic (proposal or selector problem: run doctor)");
    if (mismatches.length > 0) reasons.push("the router differs from the site");
    const health: Health = !conn || !ikeUp ? "down" : !childUp || mismatches.length > 0 ? "degraded" : "healthy";
    const ago = sa ? age.get(`${sa.name}[${sa.id}]`) : undefined;
    return {
      connection: name,
      health,
      ike: sa?.state ?? "none",
      child: child?.state ?? "none",
      ...(sa?.remoteId ? { peerId: sa.remoteId } : {}),
      ...(sa?.remoteAddr && sa.remoteAddr !== "%any" ? { peerAddress: sa.remoteAddr } : {}),
      ...(ago !== undefined ? { establishedSecondsAgo: ago } : {}),
      bytesIn: child?.bytesIn ?? 0,
      bytesOut: child?.bytesOut ?? 0,
      packetsIn: t?.packetsIn ?? 0,
      packetsOut: t?.packetsOut ?? 0,
      ...(t?.lastIn !== undefined ? { lastInSecondsAgo: t.lastIn } : {}),
      ...(t?.lastOut !== undefined ? { lastOutSecondsAgo: t.lastOut } : {}),
      mismatches,
      reasons,
    };
  });
}

export function statusExitCode(list: readonly ConnectionHealth[]): 0 | 3 | 4 {
  if (list.some((c) => c.health === "down")) return 4;
  return list.some((c) => c.health === "degraded") ? 3 : 0;
}

export function formatHealth(list: readonly ConnectionHealth[]): string {
  return list
    .map((c) => {
      const moved = (n?: number): string => (n === undefined ? "never" : `${n}s ago`);
      const lines = [
        `${c.connection}: ${c.health.toUpperCase()} — IKE ${c.ike}, CHILD ${c.child}`,
        `  peer: ${c.peerId ? `'${c.peerId}'` : "-"} @ ${c.peerAddress ?? "-"}${c.establishedSecondsAgo !== undefined ? `, established ${c.establishedSecondsAgo}s ago` : ""}`,
        `  traffic: in ${c.bytesIn} bytes / ${c.packetsIn} packets (last ${moved(c.lastInSecondsAgo)}), out ${c.bytesOut} bytes / ${c.packetsOut} packets (last ${moved(c.lastOutSecondsAgo)})`,
        `  matches the site: ${c.mismatches.length === 0 ? "yes" : `no — ${c.mismatches.join("; ")}`}`,
      ];
      if (c.reasons.length > 0) lines.push(`  why: ${c.reasons.join("; ")}`);
      return lines.join("\n");
    })
    .join("\n")
    .concat("\n");
}

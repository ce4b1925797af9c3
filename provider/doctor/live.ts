/**
 * The live diagnosis (pure): what the router shows — its status, its log since a time, its loaded connections,
 * the identities its secrets are keyed by, its allow-list counters and the push's own record — compared with a
 * site. Gathering those over SSH is push/router-view.ts; this only reads them.
 */
import type { SiteSpec } from "../model/site";
import type { CauseCode, Finding } from "./causes";
import { diagnoseLog, siteSecrets } from "./diagnose";
import { expectationOf, inCidr, sameIdText, strokeId } from "./expect";
import { admitted, allowListCounters, parseCountedFilter } from "./firewall";
import { redactDeep } from "./redact";
import { connectionHealth, type ConnectionHealth } from "./status";

export interface RouterView {
  /** `ipsec statusall`. */
  status: string;
  /** The tail of the charon log (syslog or filelog lines). */
  log: string;
  logPath: string;
  /** Selectors of every `… : PSK` line in the router's secrets files (never the keys). */
  secretIds: string[];
  /** `iptables-save -c -t filter` at the start and the end of the watch window. */
  firewallBefore: string;
  firewallAfter: string;
  watchSeconds: number;
  /** The router's clock (`HH:MM:SS`) when the log was read, and how far back the log counts. */
  routerTime?: string;
  sinceSeconds?: number;
  /** Connections the push's record (s2s-state.json) lists, when the router holds one. */
  pushedConnections?: string[];
  /** Drift against the push's record (`inspect()`), when the router holds one. */
  drift?: { inSync: boolean; problems: string[] };
}

export interface LiveOptions {
  /** The branch's current public address, when the operator knows it. */
  peerAddress?: string;
  secrets?: string[];
}

export interface LiveDiagnosis {
  findings: Finding[];
  health: ConnectionHealth[];
}

const secondsOfDay = (hms: string): number | undefined => {
  const m = /(\d\d):(\d\d):(\d\d)/.exec(hms);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
};

/**
 * The log lines of the last `since` seconds before `now` (`HH:MM:SS`, the router's clock). charon.log, syslog and
 * journal stamps all carry the time of day (syslog has no year, filelog often no date), so the window is taken on
 * the time of day, across midnight; lines without a time are kept.
 */
export function logSince(log: string, now: string, since: number): string {
  const end = secondsOfDay(now);
  if (end === undefined) return log;
  return log
    .split("\n")
    .filter((line) => {
      const t = secondsOfDay(line.slice(0, 40));
      return t === undefined || (end - t + 86400) % 86400 <= since;
    })
    .join("\n");
}

export function analyzeRouter(view: RouterView, site: SiteSpec, options: LiveOptions = {}): LiveDiagnosis {
  const exp = expectationOf(site);
  const health = connectionHealth(view.status, exp);
  const conns = health.map((h) => h.connection);
  const findings: Finding[] = [];
  const add = (cause: CauseCode, connection: string, evidence: string[], fix: string, extra: Partial<Finding> = {}): void => {
    findings.push({ cause, side: "vr", connection, evidence, fix, ...extra });
  };
  const branchId = exp.branchId?.text ?? "";
  const allowed = exp.allowedSourceCidrs ?? [];

  // What the log says about this site: its connections, its ID, or attempts from its allowed sources.
  const log = view.routerTime && view.sinceSeconds !== undefined ? logSince(view.log, view.routerTime, view.sinceSeconds) : view.log;
  const fromLog = diagnoseLog(log, { side: "vr", site }).findings.filter(
    (f) => conns.includes(f.connection) || (branchId && f.evidence.some((e) => e.includes(`[${branchId}]`) || e.includes(`'${branchId}'`))) || (f.peerAddress !== undefined && (f.peerAddress === options.peerAddress || allowed.some((c) => inCidr(f.peerAddress!, c)))),
  );
  findings.push(...fromLog.filter((f) => f.cause !== "established"));

  const up = health.filter((h) => h.health !== "down");
  const loaded = !health.some((h) => h.mismatches.includes("not loaded on the router") || h.ike === "none" && h.connection.startsWith("(site"));
  if (!loaded) add("no-ike-config", health[0]!.connection, [], `The router has no connection expecting '${branchId}': push the site (its connection is missing from \`ipsec statusall\`).`, { field: "customerGateway.peer.remoteId" });
  else if (branchId && !fromLog.some((f) => f.cause === "psk-missing") && !view.secretIds.some((s) => s.split(/\s+/).some((sel) => sameIdText(strokeId(sel).text, branchId)))) {
    add("psk-missing", conns[0] ?? branchId, view.secretIds.map((s) => `secret selectors on the router: ${s}`), `No secret on the router is keyed by '${branchId}': the branch cannot authenticate. Push the site again (it writes the secret and runs \`ipsec rereadsecrets\`).`, { field: "customerGateway.ipsecPsk" });
  }
  for (const h of up.filter((x) => x.health === "healthy")) {
    add("established", h.connection, [`ipsec statusall: IKE ${h.ike}, CHILD ${h.child}, peer '${h.peerId ?? "?"}' @ ${h.peerAddress ?? "?"}`], "Nothing to fix: the tunnel is up.");
  }

  // Silent log and no SA: the firewall counters are the only witness.
  const counters = allowListCounters(parseCountedFilter(view.firewallBefore), parseCountedFilter(view.firewallAfter));
  const siteAccepts = counters.accepts.filter((a) => allowed.some((c) => a.source === (c.includes("/") ? c : `${c}/32`)));
  const missing = allowed.filter((c) => !counters.accepts.some((a) => a.source === c));
  if (up.length === 0 && loaded && fromLog.length === 0) {
    const seen = siteAccepts.reduce((n, a) => n + a.delta, 0);
    const dropped = counters.ikeDrops > 0 ? `${counters.ikeDrops} IKE packets (UDP 500/4500) were dropped` : counters.policyDrops > 0 ? `${counters.policyDrops} packets were dropped by the INPUT policy` : "";
    const evidence = [
      `charon log ${view.logPath}${view.sinceSeconds !== undefined ? ` (last ${view.sinceSeconds} s)` : ""}: no IKE attempt for '${branchId}'${options.peerAddress ? ` or from ${options.peerAddress}` : ""}`,
      `allow-list packets in ${view.watchSeconds} s: ${siteAccepts.map((a) => `${a.source} +${a.delta}`).join(", ") || "no accept rule for the site's CIDRs"}`,
      ...(dropped ? [`${dropped} in ${view.watchSeconds} s (${counters.dropRules[0] ?? "INPUT policy"})`] : []),
      ...(missing.length > 0 ? [`allowedSourceCidrs missing from the router's accept rules: ${missing.join(", ")}`] : []),
    ];
    if (options.peerAddress && !admitted(options.peerAddress, counters)) {
      add("source-not-allowed", conns[0] ?? branchId, evidence, `Packets from ${options.peerAddress} are dropped: not in allowedSourceCidrs (${allowed.join(", ")}). Add the branch's ISP range to customerGateway.peer.allowedSourceCidrs and push.`, { field: "customerGateway.peer.allowedSourceCidrs", peerAddress: options.peerAddress });
    } else if (seen === 0 && dropped) {
      add("source-not-allowed", conns[0] ?? branchId, evidence, `IKE packets reach the router but none from allowedSourceCidrs (${allowed.join(", ")}), and the log is silent: the branch most likely sends from an address outside them (pass --peer-address to check one). Add its ISP range to customerGateway.peer.allowedSourceCidrs and push.`, { field: "customerGateway.peer.allowedSourceCidrs" });
    } else {
      add("no-response", conns[0] ?? branchId, evidence, seen > 0
        ? "Packets from the allowed ranges arrive but charon logs nothing for this site: check the log path (--log-path) and charon's log level."
        : `Nothing from the branch reached the router in ${view.watchSeconds} s: check that the branch is up, targets vpnGateway.publicIp (${exp.routerIp}) and that UDP 500/4500 pass on the way.`, { field: "customerGateway.peer.allowedSourceCidrs" });
    }
  }
  if (view.drift && !view.drift.inSync) {
    add("router-drift", conns[0] ?? branchId, view.drift.problems.slice(0, 10), "The router differs from the last push (files, firewall chains or loaded connections): push the site again.");
  }
  return { findings: redactDeep(findings, [...siteSecrets(site), ...(options.secrets ?? [])]), health: redactDeep(health, [...siteSecrets(site), ...(options.secrets ?? [])]) };
}

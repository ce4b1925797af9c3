/**
 * The router's IKE allow-list and its packet counters, from two `iptables-save -c -t filter` snapshots taken a few
 * seconds apart. Works on the push's own chain (S2S_DYN_IN) and on CloudStack-style rules in INPUT alike: an
 * ACCEPT for UDP 500/4500 from a source CIDR is an allow-list entry; a DROP/REJECT for those ports, or the chain
 * policy, is where everything else ends.
 */
import { inCidr } from "./expect";

export interface CountedRule {
  chain: string;
  rule: string;
  packets: number;
  source?: string;
  ikePorts: boolean;
  target: string;
}

export interface FilterSnapshot {
  rules: CountedRule[];
  /** Chain policy counters (`:INPUT DROP [p:b]`). */
  policies: { chain: string; policy: string; packets: number }[];
}

export function parseCountedFilter(save: string): FilterSnapshot {
  const snap: FilterSnapshot = { rules: [], policies: [] };
  let table = "filter";
  for (const raw of save.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) table = line.slice(1);
    if (table !== "filter") continue;
    const pol = /^:(\S+) (ACCEPT|DROP|REJECT) \[(\d+):\d+\]/.exec(line);
    if (pol) snap.policies.push({ chain: pol[1]!, policy: pol[2]!, packets: Number(pol[3]) });
    const m = /^\[(\d+):\d+\] -A (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const rule = m[3]!;
    const src = /(?:^| )-s (\S+)/.exec(rule)?.[1];
    snap.rules.push({
      chain: m[2]!,
      rule: `-A ${m[2]} ${rule}`,
      packets: Number(m[1]),
      ...(src ? { source: src.includes("/") ? src : `${src}/32` } : {}),
      ikePorts: /-p udp/.test(rule) && /(--dport (500|4500)\b|--dports \S*\b(500|4500)\b)/.test(rule),
      target: /-j (\S+)/.exec(rule)?.[1] ?? "",
    });
  }
  return snap;
}

export interface AllowListCounters {
  /** Accept rules for UDP 500/4500 by source CIDR, with the packets they counted during the window. */
  accepts: { source: string; rule: string; delta: number }[];
  /** Packets to UDP 500/4500 dropped by explicit rules during the window (exact). */
  ikeDrops: number;
  /** Packets dropped by the INPUT policy during the window (any protocol: an upper bound). */
  policyDrops: number;
  dropRules: string[];
}

export function allowListCounters(before: FilterSnapshot, after: FilterSnapshot): AllowListCounters {
  // Identical rules (several sites sharing a range) are paired by their order among equals.
  const nth = (list: CountedRule[], r: CountedRule): number => list.filter((x) => x.rule === r.rule).indexOf(r);
  const delta = (r: CountedRule): number => r.packets - (before.rules.filter((b) => b.rule === r.rule)[nth(after.rules, r)]?.packets ?? 0);
  const accepts = after.rules.filter((r) => r.ikePorts && r.target === "ACCEPT" && r.source).map((r) => ({ source: r.source!, rule: r.rule, delta: Math.max(0, delta(r)) }));
  const drops = after.rules.filter((r) => r.ikePorts && (r.target === "DROP" || r.target === "REJECT"));
  const pAfter = after.policies.find((p) => p.chain === "INPUT" && p.policy !== "ACCEPT");
  const pBefore = before.policies.find((p) => p.chain === "INPUT");
  return {
    accepts,
    ikeDrops: drops.reduce((n, r) => n + Math.max(0, delta(r)), 0),
    policyDrops: pAfter ? Math.max(0, pAfter.packets - (pBefore?.packets ?? 0)) : 0,
    dropRules: drops.map((r) => r.rule),
  };
}

/** Whether an address is admitted by any accept rule on the router. */
export function admitted(ip: string, counters: AllowListCounters): boolean {
  return counters.accepts.some((a) => inCidr(ip, a.source));
}

import type { FirewallRule } from "./types";
import { isInterfaceName } from "../model/net";

/**
 * The push's own iptables chains. The VR's tuples name built-in chains (INPUT, POSTROUTING, FORWARD…); a pushed
 * gateway must never touch rules it does not own there, so every tuple moves into a chain of ours, reached by ONE
 * jump rule per built-in chain. Marks and the SNAT exemption keep their meaning: MARK does not end traversal, and an
 * ACCEPT in a called nat chain ends the nat hook for that packet exactly as it would in POSTROUTING itself.
 */
export type OwnTable = "filter" | "nat" | "mangle";

export interface OwnChainSpec {
  table: OwnTable;
  builtin: string;
  chain: string;
}

export const OWN_CHAINS: readonly OwnChainSpec[] = [
  { table: "filter", builtin: "INPUT", chain: "S2S_DYN_IN" },
  { table: "nat", builtin: "POSTROUTING", chain: "S2S_DYN_NAT_POST" },
  { table: "mangle", builtin: "FORWARD", chain: "S2S_DYN_MANGLE_FWD" },
  { table: "mangle", builtin: "OUTPUT", chain: "S2S_DYN_MANGLE_OUT" },
  { table: "mangle", builtin: "INPUT", chain: "S2S_DYN_MANGLE_IN" },
];

export const OWN_TABLES: readonly OwnTable[] = ["filter", "nat", "mangle"];

/** One own chain with its rules and its jump, both in `iptables-save` form (so they compare with a read-back). */
export interface OwnChain extends OwnChainSpec {
  /** e.g. `-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN`. */
  jump: string;
  rules: string[];
}

export interface OwnFirewall {
  chains: OwnChain[];
}

/** What a gateway holds now, for our chains only (parsed from `iptables-save`). */
export interface FirewallSnapshot {
  chains: { table: OwnTable; chain: string; exists: boolean; rules: string[] }[];
  /** Every rule in a built-in chain that jumps to one of ours, with its 1-based position in that chain. */
  jumps: { table: OwnTable; builtin: string; chain: string; rule: string; index: number }[];
}

const ADDRESS = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/;

function address(text: string, what: string, rule: string): string {
  const m = ADDRESS.exec(text);
  if (!m) throw new Error(`firewall rule ${JSON.stringify(rule)}: ${what} ${JSON.stringify(text)} is not an IPv4 address or CIDR`);
  return `${m[1]}/${m[2] ?? "32"}`;
}

/**
 * Rewrites a rule of the renderer's grammar into the exact text `iptables-save` (1.8.9) prints for it: -s -d -i -o
 * -p, then matches, then the target; hosts get `/32`; a `0.0.0.0/0` address is omitted. Anything outside that
 * grammar throws, so an unexpected tuple can never be pushed unchecked.
 */
export function canonicalRule(rule: string, chain?: string): string {
  const t = rule.trim().split(/\s+/);
  if (t[0] !== "-A" || !t[1]) throw new Error(`firewall rule ${JSON.stringify(rule)}: expected "-A <chain> …"`);
  let s: string | undefined;
  let d: string | undefined;
  let i: string | undefined;
  let o: string | undefined;
  let p: string | undefined;
  const matches: string[] = [];
  let target: string[] | undefined;
  for (let k = 2; k < t.length; k++) {
    const opt = t[k]!;
    const val = t[k + 1];
    const need = (): string => {
      if (val === undefined) throw new Error(`firewall rule ${JSON.stringify(rule)}: ${opt} needs a value`);
      k++;
      return val;
    };
    if (opt === "-t") {
      need(); // CloudStack writes `-t nat` inside the nat tuple; the table is given by the block instead
    } else if (opt === "-s") s = address(need(), "source", rule);
    else if (opt === "-d") d = address(need(), "destination", rule);
    else if (opt === "-i") i = need();
    else if (opt === "-o") o = need();
    else if (opt === "-p") p = need();
    else if (opt === "-m") {
      const m = need();
      if (m === "udp" && t[k + 1] === "--dport" && /^\d{1,5}$/.test(t[k + 2] ?? "")) {
        matches.push(`-m udp --dport ${t[k + 2]}`);
        k += 2;
      } else if (m === "mark" && t[k + 1] === "--mark" && /^0x[0-9a-f]+(\/0x[0-9a-f]+)?$/.test(t[k + 2] ?? "")) {
        matches.push(`-m mark --mark ${t[k + 2]}`);
        k += 2;
      } else throw new Error(`firewall rule ${JSON.stringify(rule)}: match -m ${m} is outside the pushed grammar`);
    } else if (opt === "-j") {
      const j = need();
      if (j === "ACCEPT" && k === t.length - 1) target = ["-j ACCEPT"];
      else if (j === "MARK" && t[k + 1] === "--set-xmark" && /^0x[0-9a-f]+\/0x[0-9a-f]+$/.test(t[k + 2] ?? "") && k + 2 === t.length - 1) {
        target = [`-j MARK --set-xmark ${t[k + 2]}`];
        k += 2;
      } else throw new Error(`firewall rule ${JSON.stringify(rule)}: target ${j} is outside the pushed grammar`);
    } else throw new Error(`firewall rule ${JSON.stringify(rule)}: option ${opt} is outside the pushed grammar`);
  }
  if (!target) throw new Error(`firewall rule ${JSON.stringify(rule)}: no target (-j)`);
  for (const name of [i, o]) if (name !== undefined && !isInterfaceName(name)) throw new Error(`firewall rule ${JSON.stringify(rule)}: ${JSON.stringify(name)} is not an interface name`);
  if (p !== undefined && !/^(udp|tcp|esp|icmp)$/.test(p)) throw new Error(`firewall rule ${JSON.stringify(rule)}: protocol ${p} is outside the pushed grammar`);
  const parts = [`-A ${chain ?? t[1]}`];
  if (s && s !== "0.0.0.0/0") parts.push(`-s ${s}`);
  if (d && d !== "0.0.0.0/0") parts.push(`-d ${d}`);
  if (i) parts.push(`-i ${i}`);
  if (o) parts.push(`-o ${o}`);
  if (p) parts.push(`-p ${p}`);
  return [...parts, ...matches, ...target].join(" ");
}

/** The jump for each own chain; the filter one is limited to the public interface and IP, as the tuples are. */
export function jumpRule(spec: OwnChainSpec, publicInterface: string, publicIp: string): string {
  const scope = spec.table === "filter" ? ` -d ${address(publicIp, "publicIp", publicIp)} -i ${publicInterface}` : "";
  return `-A ${spec.builtin}${scope} -j ${spec.chain}`;
}

/**
 * Translates the renderer's tuples (all peers of one gateway) into our chains, de-duplicated in first-seen order:
 * several peers share the same SNAT exemption, and one line per rule keeps the chain canonical for drift checks.
 */
export function ownFirewall(rules: readonly FirewallRule[], gateway: { publicInterface: string; publicIp: string }): OwnFirewall {
  const chains: OwnChain[] = OWN_CHAINS.map((spec) => ({ ...spec, jump: jumpRule(spec, gateway.publicInterface, gateway.publicIp), rules: [] }));
  for (const r of rules) {
    const builtin = /^-A (\S+)/.exec(r.rule)?.[1];
    const own = chains.find((c) => c.table === r.table && c.builtin === builtin);
    if (!own) throw new Error(`firewall tuple [${r.table}, ${JSON.stringify(r.rule)}]: no own chain for table ${r.table} chain ${builtin}; the push only carries filter INPUT, nat POSTROUTING and mangle FORWARD/OUTPUT/INPUT`);
    const line = canonicalRule(r.rule, own.chain);
    if (!own.rules.includes(line)) own.rules.push(line);
  }
  return { chains };
}

/** Reads our chains and the jumps to them out of `iptables-save` output (all tables or some). */
export function parseOwnFirewall(save: string): FirewallSnapshot {
  const snapshot: FirewallSnapshot = { chains: OWN_CHAINS.map((c) => ({ table: c.table, chain: c.chain, exists: false, rules: [] })), jumps: [] };
  let table: string | undefined;
  const positions = new Map<string, number>();
  for (const raw of save.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) {
      table = line.slice(1);
      positions.clear();
      continue;
    }
    const decl = /^:(\S+) /.exec(line);
    if (decl) {
      const c = snapshot.chains.find((x) => x.table === table && x.chain === decl[1]);
      if (c) c.exists = true;
      continue;
    }
    const rule = /^-A (\S+) (.*)$/.exec(line);
    if (!rule || !table) continue;
    const chainName = rule[1]!;
    const index = (positions.get(chainName) ?? 0) + 1;
    positions.set(chainName, index);
    const own = snapshot.chains.find((x) => x.table === table && x.chain === chainName);
    if (own) {
      own.rules.push(line);
      continue;
    }
    const target = / -[jg] (\S+)/.exec(line)?.[1];
    const spec = OWN_CHAINS.find((c) => c.table === table && c.chain === target);
    if (spec) snapshot.jumps.push({ table: spec.table, builtin: chainName, chain: spec.chain, rule: line, index });
  }
  return snapshot;
}

function block(table: OwnTable, lines: string[]): string {
  return lines.length === 0 ? "" : `*${table}\n${lines.join("\n")}\nCOMMIT\n`;
}

/**
 * `iptables-restore --noflush` input that makes the gateway hold `target`. Under --noflush, a `:CHAIN - [0:0]`
 * line creates the chain or empties it (verified on iptables 1.8.9 nft: the old rules are gone, the rest of the
 * table untouched), and each table block commits as one transaction. The jump is left alone when exactly our jump
 * is there once; otherwise every copy is deleted and one is inserted at the top.
 */
export function restoreToTarget(target: OwnFirewall, current: FirewallSnapshot): string {
  return OWN_TABLES.map((table) => {
    const chains = target.chains.filter((c) => c.table === table);
    const lines = chains.flatMap((c) => [`:${c.chain} - [0:0]`, ...c.rules]);
    for (const c of chains) {
      const jumps = current.jumps.filter((j) => j.table === table && j.chain === c.chain);
      if (jumps.length === 1 && jumps[0]!.rule === c.jump && jumps[0]!.builtin === c.builtin) continue;
      lines.push(...jumps.map((j) => j.rule.replace(/^-A /, "-D ")), c.jump.replace(/^-A (\S+)/, "-I $1 1"));
    }
    return block(table, lines);
  }).join("");
}

/**
 * `iptables-restore --noflush` input that puts back exactly what `before` held: chain contents, jumps at their old
 * positions (ascending, so each index is where it was), and chains that did not exist deleted again.
 */
export function restoreToSnapshot(before: FirewallSnapshot, current: FirewallSnapshot): string {
  return OWN_TABLES.map((table) => {
    const lines: string[] = [];
    for (const c of before.chains.filter((x) => x.table === table)) lines.push(`:${c.chain} - [0:0]`, ...(c.exists ? c.rules : []));
    lines.push(...current.jumps.filter((j) => j.table === table).map((j) => j.rule.replace(/^-A /, "-D ")));
    for (const j of [...before.jumps.filter((x) => x.table === table)].sort((a, b) => a.index - b.index)) lines.push(j.rule.replace(/^-A (\S+)/, `-I $1 ${j.index}`));
    for (const c of before.chains.filter((x) => x.table === table && !x.exists)) lines.push(`-X ${c.chain}`);
    return block(table, lines);
  }).join("");
}

/** The canonical lines of a firewall (chains, then jumps), for hashing and drift reports. */
export function firewallLines(fw: OwnFirewall): string[] {
  return fw.chains.flatMap((c) => [`*${c.table} ${c.chain}`, ...c.rules, `jump ${c.jump}`]);
}

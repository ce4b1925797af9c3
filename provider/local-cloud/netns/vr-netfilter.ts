/**
 * The VR's firewall as CloudStack's `CsNetfilters.compare` keeps it (systemvm cs/CsNetfilter.py), reproduced in the
 * router namespace on every reconfiguration:
 *   1. the tuples generated for the WHOLE data bag are added when iptables-save does not show them ("front":
 *      `-I <chain>` at the top, "": `-A`), each distinct tuple once;
 *   2. every other rule iptables-save shows, in every table and chain, is deleted (`get_unseen`) unless it is one
 *      of the router's standard rules (`del_standard`: here the base ruleset the router was built with, which on a
 *      real VR the other Cs* classes regenerate on every run).
 * So a reconfiguration deletes rules anyone else added, the push's jump rules and the rules inside its S2S_DYN_*
 * chains included (the chains themselves stay: CloudStack never deletes chains). Failed iptables commands are
 * ignored, as CloudStack ignores them.
 */
import { spawnSync } from "node:child_process";
import { canonicalRule } from "../../render/push-firewall";
import type { FirewallRule } from "../../render/types";

export interface NetfilterChange {
  added: string[];
  deleted: string[];
}

type Exec = (argv: string[], input?: string) => { code: number; stdout: string; stderr: string };

/** Runs argv inside namespace `ns` (iptables needs no private mounts). */
export function nsExec(ns: string): Exec {
  return (argv, input) => {
    const r = spawnSync("ip", ["netns", "exec", ns, ...argv], { encoding: "utf8", input, timeout: 20_000 });
    return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
}

/** `table|-A CHAIN …` for every rule of every table, as iptables-save prints it. */
export function savedRules(save: string): string[] {
  const out: string[] = [];
  let table = "";
  for (const line of save.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1).trim();
    else if (line.startsWith("-A ")) out.push(`${table}|${line.trim()}`);
  }
  return out;
}

export class VrNetfilter {
  private standard = new Set<string>();

  constructor(private readonly exec: Exec) {}

  /** Installs the base ruleset and remembers what iptables-save then shows as the standard rules. */
  installBase(rules: string): void {
    const r = this.exec(["iptables-restore"], rules);
    if (r.code !== 0) throw new Error(`netns VR: base firewall rejected by iptables-restore: ${r.stderr.trim()}`);
    this.standard = new Set(savedRules(this.save()));
  }

  save(): string {
    const r = this.exec(["iptables-save"]);
    if (r.code !== 0) throw new Error(`netns VR: iptables-save exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** One reconfiguration's firewall pass (see the file comment). */
  compare(generated: readonly FirewallRule[]): NetfilterChange {
    const present = new Set(savedRules(this.save()));
    const wanted = new Set<string>();
    const lines = new Map<string, string[]>();
    const push = (table: string, line: string): void => void lines.set(table, [...(lines.get(table) ?? []), line]);
    const added: string[] = [];
    for (const t of generated) {
      const canonical = canonicalRule(t.rule);
      const key = `${t.table}|${canonical}`;
      if (wanted.has(key)) continue;
      wanted.add(key);
      if (present.has(key)) continue;
      push(t.table, t.position === "front" ? canonical.replace(/^-A (\S+)/, "-I $1 1") : canonical);
      added.push(key);
    }
    const deleted = [...present].filter((k) => !wanted.has(k) && !this.standard.has(k));
    for (const k of deleted) {
      const [table, rule] = [k.slice(0, k.indexOf("|")), k.slice(k.indexOf("|") + 1)];
      push(table, rule.replace(/^-A /, "-D "));
    }
    if (lines.size === 0) return { added, deleted };
    const batch = [...lines].map(([table, ls]) => `*${table}\n${ls.join("\n")}\nCOMMIT\n`).join("");
    if (this.exec(["iptables-restore", "-w", "--noflush"], batch).code !== 0) {
      // Best effort, as CsNetfilters: one command per rule, failures ignored.
      for (const [table, ls] of lines) for (const l of ls) this.exec(["iptables-restore", "-w", "--noflush"], `*${table}\n${l}\nCOMMIT\n`);
    }
    return { added, deleted };
  }
}

/**
 * The router's standard rules: default-DROP INPUT/FORWARD, IKE from unlisted sources dropped and counted, the
 * tunnel and guest forwarding, guest SNAT, and the control link (eth0) limited to SSH on 3922 in both directions
 * and never forwarded.
 */
export function baseRuleset(o: { publicInterface: string; guestInterface: string; controlInterface: string; vpcCidr: string; dataplane: "libipsec" | "kernel" }): string {
  const pub = o.publicInterface;
  const guest = o.guestInterface;
  const ctl = o.controlInterface;
  const fromTunnel = o.dataplane === "libipsec" ? `-i ipsec0 -o ${guest}` : `-i ${pub} -o ${guest} -m policy --dir in --pol ipsec`;
  const intoTunnel = o.dataplane === "libipsec" ? `-i ${guest} -o ipsec0` : `-i ${guest} -o ${pub} -m policy --dir out --pol ipsec`;
  return `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -i ${ctl} -p tcp -m tcp --dport 3922 -j ACCEPT
-A INPUT -i ${ctl} -j DROP
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -i ${pub} -p udp -m multiport --dports 500,4500 -m comment --comment ike-not-allowed -j DROP
-A INPUT -i ${pub} -p esp -m comment --comment esp-not-allowed -j DROP
-A FORWARD -i ${ctl} -j DROP
-A FORWARD -o ${ctl} -j DROP
-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A FORWARD ${fromTunnel} -j ACCEPT
-A FORWARD ${intoTunnel} -j ACCEPT
-A FORWARD -i ${guest} -o ${pub} -j ACCEPT
-A OUTPUT -o ${ctl} -p tcp -m tcp --sport 3922 -j ACCEPT
-A OUTPUT -o ${ctl} -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s ${o.vpcCidr} -o ${pub} -j MASQUERADE
COMMIT
`;
}

/**
 * The VR's firewall in the lab: a CloudStack-like base ruleset with a default-DROP INPUT policy and a countable
 * `ike-not-allowed` drop for UDP 500/4500, with the renderer's tuples applied on top the way CloudStack's
 * CsNetfilters does it: "front" inserts at the top of the chain, "" appends, and a tuple that stops being rendered
 * for a connection is deleted (reconciliation).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec";
import type { DataPlane } from "./instance";

import { splitRule, tupleArgv, type FirewallTuple } from "../../../provider/local-cloud/netns/iptables-tuples";

export { splitRule, tupleArgv, type FirewallTuple } from "../../../provider/local-cloud/netns/iptables-tuples";

const key = (t: FirewallTuple): string => `${t.table}|${t.position}|${splitRule(t.rule).join(" ")}`;

export class VrFirewall {
  private readonly applied = new Map<string, FirewallTuple[]>();

  constructor(
    readonly ns: string,
    private readonly labDir: string,
    readonly publicInterface: string,
    readonly guestInterface: string,
    readonly vpcCidr: string,
    readonly dataplane: DataPlane,
  ) {}

  async installBase(): Promise<void> {
    const pub = this.publicInterface;
    const guest = this.guestInterface;
    // libipsec forwards through its TUN device; with kernel XFRM the same traffic is matched by IPsec policy.
    const fromTunnel = this.dataplane === "libipsec" ? `-i ipsec0 -o ${guest}` : `-i ${pub} -o ${guest} -m policy --dir in --pol ipsec`;
    const intoTunnel = this.dataplane === "libipsec" ? `-i ${guest} -o ipsec0` : `-i ${guest} -o ${pub} -m policy --dir out --pol ipsec`;
    const rules = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -i ${pub} -p udp -m multiport --dports 500,4500 -m comment --comment ike-not-allowed -j DROP
-A INPUT -i ${pub} -p esp -m comment --comment esp-not-allowed -j DROP
-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A FORWARD ${fromTunnel} -j ACCEPT
-A FORWARD ${intoTunnel} -j ACCEPT
-A FORWARD -i ${guest} -o ${pub} -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o ${pub} -s ${this.vpcCidr} -j MASQUERADE
COMMIT
`;
    const file = join(this.labDir, "vr-base.rules");
    writeFileSync(file, rules);
    await run(["ip", "netns", "exec", this.ns, "iptables-restore", file]);
  }

  /**
   * Makes the rules owned by `owner` (one connection) exactly `tuples`: deletes the ones no longer rendered, adds
   * the new ones. Unchanged rules are not touched, so their counters and positions survive.
   */
  async reconcile(owner: string, tuples: FirewallTuple[]): Promise<void> {
    const before = this.applied.get(owner) ?? [];
    const want = new Set(tuples.map(key));
    const have = new Set(before.map(key));
    const ops: string[][] = [];
    for (const t of before) if (!want.has(key(t))) ops.push(tupleArgv(t, "delete"));
    // Insert "front" rules in reverse so the rendered order is kept at the top of the chain.
    const fresh = tuples.filter((t) => !have.has(key(t)));
    for (const t of [...fresh.filter((t) => t.position === "front")].reverse()) ops.push(tupleArgv(t, "add"));
    for (const t of fresh.filter((t) => t.position !== "front")) ops.push(tupleArgv(t, "add"));
    await this.batch(ops);
    if (tuples.length === 0) this.applied.delete(owner);
    else this.applied.set(owner, [...tuples]);
  }

  /**
   * Runs iptables argvs as one `iptables-restore --noflush` transaction (one process instead of one per rule: a
   * 20-rule change costs ~5 ms instead of ~100 ms, which matters for the apply timing benchmark).
   */
  private async batch(ops: string[][]): Promise<void> {
    if (ops.length === 0) return;
    const byTable = new Map<string, string[]>();
    for (const argv of ops) {
      const words = argv.slice(2); // drop "iptables -w"
      let table = "filter";
      if (words[0] === "-t") table = words.splice(0, 2)[1]!;
      byTable.set(table, [...(byTable.get(table) ?? []), words.map((w) => (/[\s"]/.test(w) ? `"${w.replace(/"/g, '\\"')}"` : w)).join(" ")]);
    }
    const text = [...byTable].map(([table, lines]) => `*${table}\n${lines.join("\n")}\nCOMMIT\n`).join("");
    const file = join(this.labDir, "fw-batch.rules");
    writeFileSync(file, text);
    await run(["ip", "netns", "exec", this.ns, "iptables-restore", "-w", "--noflush", file]);
  }

  /** `iptables -S` of a table, for "the rule is gone" assertions. */
  async rules(table: FirewallTuple["table"] = "filter"): Promise<string> {
    return (await run(["ip", "netns", "exec", this.ns, "iptables", "-w", "-t", table, "-S"])).stdout;
  }

  /** Packets counted by the rule carrying `--comment <comment>` in INPUT. */
  async counter(comment = "ike-not-allowed"): Promise<number> {
    const out = (await run(["ip", "netns", "exec", this.ns, "iptables", "-w", "-L", "INPUT", "-v", "-x", "-n"])).stdout;
    const line = out.split("\n").find((l) => l.includes(`/* ${comment} */`));
    if (!line) throw new Error(`no INPUT rule with comment ${comment}:\n${out}`);
    return Number(line.trim().split(/\s+/)[0]);
  }
}

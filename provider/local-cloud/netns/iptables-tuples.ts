/** CloudStack VR firewall tuples (`[table, position, rule]`, contract §4.3) as iptables argument vectors. */
export interface FirewallTuple {
  table: "filter" | "nat" | "mangle";
  position: "front" | "";
  rule: string;
}

/** Splits an iptables rule the way a shell would (quotes for comments), without ever invoking a shell. */
export function splitRule(rule: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** iptables argv for adding (`add`) or deleting a tuple. A `-t` inside the rule text must agree with `table`. */
export function tupleArgv(t: FirewallTuple, action: "add" | "delete"): string[] {
  const words = splitRule(t.rule);
  const ti = words.indexOf("-t");
  if (ti >= 0) {
    const inRule = words[ti + 1];
    if (inRule !== t.table) throw new Error(`tuple table ${t.table} disagrees with "-t ${inRule}" in rule: ${t.rule}`);
    words.splice(ti, 2);
  }
  const op = words[0];
  if (op !== "-A" && op !== "-I") throw new Error(`rule must start with -A/-I CHAIN: ${t.rule}`);
  const chain = words[1]!;
  const rest = words.slice(op === "-I" && /^\d+$/.test(words[2] ?? "") ? 3 : 2);
  const table = t.table === "filter" ? [] : ["-t", t.table];
  if (action === "delete") return ["iptables", "-w", ...table, "-D", chain, ...rest];
  return ["iptables", "-w", ...table, t.position === "front" ? "-I" : "-A", chain, ...(t.position === "front" ? ["1"] : []), ...rest];
}


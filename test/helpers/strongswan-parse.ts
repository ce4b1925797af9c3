/**
 * Minimal readers for what our renderers write, used to check that every value occupies exactly the token it
 * should. They follow strongSwan's own tokenisation: ipsec.conf `key=value` (a value may be "quoted"), ipsec.secrets
 * `selectors : PSK "key"`, swanctl.conf nested `name { key = value }` sections.
 */
export interface StrokeConn {
  name: string;
  settings: Map<string, string>;
}

export function parseIpsecConf(text: string): StrokeConn[] {
  const conns: StrokeConn[] = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const header = /^conn (\S+)$/.exec(raw);
    if (header) {
      conns.push({ name: header[1]!, settings: new Map() });
      continue;
    }
    const setting = /^\s+([a-z_]+)=(.*)$/.exec(raw);
    if (!setting || conns.length === 0) throw new Error(`unparsable ipsec.conf line: ${JSON.stringify(raw)}`);
    const current = conns[conns.length - 1]!;
    if (current.settings.has(setting[1]!)) throw new Error(`duplicate key ${setting[1]} in conn ${current.name}`);
    current.settings.set(setting[1]!, setting[2]!);
  }
  return conns;
}

/** Splits a token list on spaces, keeping "quoted strings" whole (quotes kept). */
export function splitTokens(text: string): string[] {
  const tokens = text.match(/"[^"]*"|\S+/g) ?? [];
  if (tokens.join("").replace(/\s/g, "").length !== text.replace(/\s/g, "").length) throw new Error(`unbalanced quotes in ${JSON.stringify(text)}`);
  return tokens;
}

export function parseSecretsLine(text: string): { selectors: string[]; type: string; secret: string } {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length !== 1) throw new Error(`expected one secrets line, got ${lines.length}`);
  // strongSwan's stroke_cred splits at the FIRST " : ", then reads a quoted secret.
  const line = lines[0]!;
  const at = line.indexOf(" : ");
  const m = at < 0 ? null : /^(PSK) "([^"]*)"$/.exec(line.slice(at + 3));
  if (!m) throw new Error(`unparsable secrets line: ${JSON.stringify(line)}`);
  return { selectors: splitTokens(line.slice(0, at)), type: m[1]!, secret: m[2]! };
}

export type SwanctlNode = Map<string, string | SwanctlNode>;

export function parseSwanctl(text: string): SwanctlNode {
  const root: SwanctlNode = new Map();
  const stack: SwanctlNode[] = [root];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const top = stack[stack.length - 1]!;
    let m: RegExpExecArray | null;
    if ((m = /^([A-Za-z0-9_.-]+) \{$/.exec(line))) {
      const child: SwanctlNode = new Map();
      if (top.has(m[1]!)) throw new Error(`duplicate section ${m[1]}`);
      top.set(m[1]!, child);
      stack.push(child);
    } else if (line === "}") {
      stack.pop();
      if (stack.length === 0) throw new Error("unbalanced }");
    } else if ((m = /^([A-Za-z0-9_-]+) = (.*)$/.exec(line))) {
      if (top.has(m[1]!)) throw new Error(`duplicate key ${m[1]}`);
      top.set(m[1]!, m[2]!);
    } else throw new Error(`unparsable swanctl line: ${JSON.stringify(raw)}`);
  }
  if (stack.length !== 1) throw new Error("unclosed section");
  return root;
}

export function node(tree: SwanctlNode, ...path: string[]): SwanctlNode {
  let current = tree;
  for (const p of path) {
    const next = current.get(p);
    if (!(next instanceof Map)) throw new Error(`no section ${path.join(".")}`);
    current = next;
  }
  return current;
}

export function value(tree: SwanctlNode, ...path: string[]): string | undefined {
  const key = path.pop()!;
  const v = node(tree, ...path).get(key);
  return typeof v === "string" ? v : undefined;
}

/**
 * A strict reader for the files the push uploads, run before anything reaches the gateway: every line of our
 * ipsec.conf must be a `conn` we expect or a key we render, with a value that is one token. strongSwan itself has
 * no offline syntax check for ipsec.conf, so this plus the post-reload `ipsec statusall` check is what stands
 * between a rendering bug and a router that silently ignores a connection. Messages never quote a secrets line.
 */
const KEYS = new Set(["left", "leftid", "leftsubnet", "right", "rightid", "rightsubnet", "type", "authby", "keyexchange", "ike", "ikelifetime", "esp", "lifetime", "forceencaps", "mobike", "dpddelay", "dpdtimeout", "dpdaction", "auto", "also"]);
const TOKEN = /^[A-Za-z0-9@%._:/,!=+-]+$/;
const QUOTED = /^"[^"\n\\]*"$/;

export interface OwnConn {
  name: string;
  settings: Map<string, string>;
}

/** What `ipsec statusall` must show for one connection once loaded. */
export interface ExpectedConnection {
  name: string;
  remoteId: string;
  localTs: string[];
  remoteTs: string[];
}

export function checkOwnConf(path: string, text: string, names: readonly string[]): OwnConn[] {
  const conns: OwnConn[] = [];
  const fail = (n: number, why: string): never => {
    throw new Error(`${path} line ${n}: ${why}`);
  };
  text.split("\n").forEach((raw, i) => {
    const n = i + 1;
    if (raw === "" || raw.startsWith("#")) return;
    const header = /^conn (\S+)$/.exec(raw);
    if (header) {
      if (!names.includes(header[1]!)) fail(n, `conn ${JSON.stringify(header[1])} is not one of the expected connections ${names.join(", ")}`);
      if (conns.some((c) => c.name === header[1])) fail(n, `conn ${header[1]} appears twice`);
      conns.push({ name: header[1]!, settings: new Map() });
      return;
    }
    const kv = /^ ([a-z]+)=(.*)$/.exec(raw);
    if (!kv) return fail(n, `${JSON.stringify(raw.slice(0, 80))} is neither a comment, a conn header nor " key=value"`);
    const [, key, value] = kv as unknown as [string, string, string];
    const conn = conns[conns.length - 1] ?? fail(n, "setting before any conn");
    if (!KEYS.has(key)) fail(n, `key ${key} is not one the renderer writes`);
    if (conn.settings.has(key)) fail(n, `key ${key} set twice in conn ${conn.name}`);
    if (!(TOKEN.test(value) || (key === "rightid" && QUOTED.test(value)))) fail(n, `${key}=${JSON.stringify(value.slice(0, 80))} is not a single token`);
    conn.settings.set(key, value);
  });
  const main = conns[0];
  if (!main) throw new Error(`${path}: no conn`);
  for (const [key, want] of [["right", "%any"], ["keyexchange", "ikev2"], ["authby", "secret"], ["auto", "add"]] as const) {
    if (main.settings.get(key) !== want) throw new Error(`${path}: conn ${main.name} must set ${key}=${want} (a dynamic-peer responder), found ${JSON.stringify(main.settings.get(key) ?? null)}`);
  }
  for (const key of ["left", "leftid", "leftsubnet", "rightid", "rightsubnet"]) if (!main.settings.has(key)) throw new Error(`${path}: conn ${main.name} lacks ${key}`);
  for (const child of conns.slice(1)) {
    if (child.settings.get("also") !== main.name || !child.settings.has("rightsubnet") || child.settings.size !== 2) throw new Error(`${path}: conn ${child.name} must hold exactly also=${main.name} and rightsubnet`);
  }
  const missing = names.filter((x) => !conns.some((c) => c.name === x));
  if (missing.length > 0) throw new Error(`${path}: missing conn ${missing.join(", ")}`);
  return conns;
}

/** One line `<peer id> : PSK "<key>"`; the selector must be the peer ID alone (strongswan-netns.md §6). */
export function checkOwnSecrets(path: string, text: string): void {
  const lines = text.split("\n");
  if (lines.length !== 2 || lines[1] !== "") throw new Error(`${path}: expected exactly one secrets line ending in a newline, found ${lines.filter(Boolean).length} line(s)`);
  const m = /^("[^"\n]*"|[^\s"]+) : PSK "([^"\n]*)"$/.exec(lines[0]!);
  if (!m) throw new Error(`${path}: the secrets line is not \`<peer id> : PSK "<key>"\` (content not shown: it holds the key)`);
  if (m[2]!.length === 0) throw new Error(`${path}: the PSK is empty`);
}

function displayId(token: string): string {
  const bare = token.startsWith('"') ? token.slice(1, -1) : token;
  return bare.startsWith("@") ? bare.slice(1) : bare;
}

/** The loaded view of our conns: children inherit the main conn's settings except rightsubnet (`also=`). */
export function expectedConnections(conns: readonly OwnConn[]): ExpectedConnection[] {
  const main = conns[0]!;
  return conns.map((c) => ({
    name: c.name,
    remoteId: displayId(main.settings.get("rightid")!),
    localTs: main.settings.get("leftsubnet")!.split(","),
    remoteTs: (c.settings.get("rightsubnet") ?? main.settings.get("rightsubnet")!).split(","),
  }));
}

import { parseOwnFirewall, type FirewallSnapshot, type OwnFirewall } from "../render/push-firewall";
import type { ExpectedConnection } from "./conf-check";
import { firstLines } from "./errors";
import type { ExecResult, GatewayHost } from "./gateway-host";
import { parseStatusAll, type IpsecStatus, type LoadedConnection } from "./ipsec-status";
import { HEAL_STARTER_PATH, HEAL_STATUS_COMMAND, parseHealStatus, type HealStatus } from "../render/heal";

export const IPSEC_DIR = "/etc/ipsec.d";
/**
 * The gateway's record of what this project pushed there (a PushState: no secret), so a per-peer push knows the
 * other peers. `.json`, so neither the `*.conf`/`*.secrets` includes nor CloudStack's `ipsec.vpn-*` glob see it.
 */
export const STATE_PATH = `${IPSEC_DIR}/s2s-state.json`;
const OWN_NAME = /^(s2s-[a-z0-9-]{1,60}\.(conf|secrets)|s2s-state\.json|s2s-heal\.(sh|rules))$/;
/** The one own file outside /etc/ipsec.d: the heal watcher's start hook in strongswan.d (render/heal.ts). */
const OWN_ELSEWHERE = [HEAL_STARTER_PATH];
/** Temporary upload names: hidden, so neither `*.conf`/`*.secrets` includes nor CloudStack's glob see them. */
export const TEMP_NAME = /^\.s2s-tmp-[0-9a-f]{12}-(s2s-[a-z0-9-]{1,60}\.(conf|secrets)|s2s-state\.json|s2s-heal\.(sh|rules))$/;

/** Whether connection `name` belongs to the peer whose files are named `base` (`base`, `base-g…`, `base-g…-2`). */
export function ofBase(name: string, base: string): boolean {
  return name === base || name.startsWith(`${base}-`);
}

export interface FileCopy {
  content: Buffer;
  mode: number;
}

/** What the gateway holds that is ours, read in one go: a push's snapshot, and what verify and inspect compare. */
export interface GatewayView {
  files: Map<string, FileCopy>;
  firewall: FirewallSnapshot;
  status: IpsecStatus;
  /** The s2s-heal watcher as `s2s-heal.sh status` reports it (not running when not installed). */
  heal: HealStatus;
}

export async function readOwnFiles(host: GatewayHost): Promise<Map<string, FileCopy>> {
  const files = new Map<string, FileCopy>();
  for (const name of (await host.list(IPSEC_DIR)).filter((n) => OWN_NAME.test(n))) {
    const path = `${IPSEC_DIR}/${name}`;
    const [info, content] = await Promise.all([host.stat(path), host.readFile(path)]);
    if (info && content) files.set(path, { content, mode: info.mode });
  }
  for (const path of OWN_ELSEWHERE) {
    const [info, content] = await Promise.all([host.stat(path), host.readFile(path)]);
    if (info && content) files.set(path, { content, mode: info.mode });
  }
  return files;
}

export async function readFirewall(host: GatewayHost): Promise<FirewallSnapshot> {
  const r = await host.exec("iptables-save");
  if (r.code !== 0) throw new Error(`\`iptables-save\` exited ${r.code}: ${firstLines(r.stderr)}`);
  return parseOwnFirewall(r.stdout);
}

/** `ipsec statusall`'s answer when strongSwan is not running: the ipsec script's exit 3, nothing asked of charon. */
export function strongSwanStopped(r: ExecResult): boolean {
  return r.code === 3 && r.stdout.trim() === "" && r.stderr.trim() === "";
}

export async function readStatus(host: GatewayHost): Promise<IpsecStatus> {
  const r = await host.exec("ipsec statusall");
  if (strongSwanStopped(r)) return { connections: [], sas: [], stopped: true };
  if (r.code !== 0) throw new Error(`\`ipsec statusall\` exited ${r.code} (is strongSwan running? start it with \`ipsec start\`): ${firstLines(r.stderr || r.stdout)}`);
  return parseStatusAll(r.stdout);
}

export async function readHeal(host: GatewayHost): Promise<HealStatus> {
  const r = await host.exec(HEAL_STATUS_COMMAND);
  return parseHealStatus(r.code === 0 ? r.stdout : "");
}

export async function readGateway(host: GatewayHost): Promise<GatewayView> {
  const files = await readOwnFiles(host);
  const firewall = await readFirewall(host);
  const status = await readStatus(host);
  const heal = await readHeal(host);
  return { files, firewall, status, heal };
}

export function ownLoaded(status: IpsecStatus): LoadedConnection[] {
  return status.connections.filter((c) => c.name.startsWith("s2s-")).sort((a, b) => a.name.localeCompare(b.name));
}

/** Differences between charon's loaded connections and what we expect; empty when all match. */
export function connectionProblems(status: IpsecStatus, expected: readonly ExpectedConnection[], ignoreBases: readonly string[] = []): string[] {
  const problems: string[] = [];
  const loaded = ownLoaded(status).filter((c) => !ignoreBases.some((b) => ofBase(c.name, b)));
  for (const want of expected) {
    const got = loaded.find((c) => c.name === want.name);
    if (!got) problems.push(`${want.name} not loaded`);
    else if (got.remoteId !== want.remoteId) problems.push(`${want.name} loaded with remote ID ${JSON.stringify(got.remoteId ?? null)}, expected ${JSON.stringify(want.remoteId)}`);
    else if (!got.children.some((c) => c.localTs.join(" ") === want.localTs.join(" ") && c.remoteTs.join(" ") === want.remoteTs.join(" "))) {
      problems.push(`${want.name} loaded with traffic selectors ${got.children.map((c) => `${c.localTs.join(" ")} === ${c.remoteTs.join(" ")}`).join("; ") || "(none)"}, expected ${want.localTs.join(" ")} === ${want.remoteTs.join(" ")}`);
    }
  }
  for (const c of loaded) if (!expected.some((e) => e.name === c.name)) problems.push(`${c.name} loaded but not expected`);
  return problems;
}

/** Differences between our chains/jumps on the gateway and `target`; empty when they match. */
export function firewallProblems(actual: FirewallSnapshot, target: OwnFirewall): string[] {
  const problems: string[] = [];
  for (const c of target.chains) {
    const got = actual.chains.find((x) => x.table === c.table && x.chain === c.chain);
    if (!got?.exists) problems.push(`${c.table} chain ${c.chain} missing`);
    else {
      for (const r of c.rules) if (!got.rules.includes(r)) problems.push(`${c.table} ${c.chain}: rule missing: ${r}`);
      for (const r of got.rules) if (!c.rules.includes(r)) problems.push(`${c.table} ${c.chain}: unexpected rule: ${r}`);
      if (got.rules.join("\n") !== c.rules.join("\n") && problems.length === 0) problems.push(`${c.table} ${c.chain}: rules out of order`);
    }
    const jumps = actual.jumps.filter((j) => j.table === c.table && j.chain === c.chain);
    if (!jumps.some((j) => j.rule === c.jump)) problems.push(`${c.table} jump rule missing: ${c.jump}`);
    for (const j of jumps) if (j.rule !== c.jump) problems.push(`${c.table} unexpected jump to ${c.chain}: ${j.rule}`);
    if (jumps.filter((j) => j.rule === c.jump).length > 1) problems.push(`${c.table} jump rule present ${jumps.length} times: ${c.jump}`);
  }
  return problems;
}

/** Exact equality of two firewall snapshots (chains, rules, jumps and their positions): what restore must reach. */
export function sameFirewall(a: FirewallSnapshot, b: FirewallSnapshot): boolean {
  const key = (s: FirewallSnapshot): string => JSON.stringify({ c: s.chains, j: [...s.jumps].sort((x, y) => `${x.table}${x.builtin}${x.index}`.localeCompare(`${y.table}${y.builtin}${y.index}`)) });
  return key(a) === key(b);
}

export function sameFiles(a: Map<string, FileCopy>, b: Map<string, FileCopy>): string[] {
  const diffs: string[] = [];
  for (const [path, f] of a) {
    const g = b.get(path);
    if (!g) diffs.push(`${path} missing`);
    else if (g.mode !== f.mode) diffs.push(`${path} mode ${g.mode.toString(8)} instead of ${f.mode.toString(8)}`);
    else if (!g.content.equals(f.content)) diffs.push(`${path} content differs`);
  }
  for (const path of b.keys()) if (!a.has(path)) diffs.push(`${path} present but should not be`);
  return diffs;
}

export function sameLoaded(a: IpsecStatus, b: IpsecStatus): boolean {
  return JSON.stringify(ownLoaded(a)) === JSON.stringify(ownLoaded(b));
}

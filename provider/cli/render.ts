import { INTERFACE_NAME_RULE, isInterfaceName } from "../model/net";
import { join } from "node:path";
import type { Site2SiteVpnDataBag } from "../model/databag";
import { parseDataBag } from "../model/databag-schema";
import { makeIssue, type Issue } from "../model/issues";
import { resolveSitePsk, siteToDataBag } from "../model/site";
import { renderPeer } from "../render/peer";
import { renderSwanctl } from "../render/swanctl";
import type { FirewallRule, RenderedFile } from "../render/types";
import { renderVr } from "../render/vr";
import { UsageError, parseArgs, stringOption } from "./args";
import { writeFileSafely } from "./safe-write";
import { printIssues, type Io } from "./output";
import { loadSiteFile, readDocument } from "./site-files";

interface Rendered {
  files: RenderedFile[];
  firewall: FirewallRule[];
  commands: string[];
}

const TARGETS = ["vr", "swanctl", "peer"] as const;

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

function toJson(r: Rendered): string {
  return `${JSON.stringify({
    files: r.files.map((f) => ({ path: f.path, mode: octal(f.mode), content: f.content })),
    firewall: r.firewall.map((f) => ({ table: f.table, position: f.position, rule: f.rule })),
    commands: r.commands,
  }, null, 2)}\n`;
}

function toText(r: Rendered): string {
  const parts = r.files.map((f) => `==> ${f.path} (mode ${octal(f.mode)}) <==\n${f.content}`);
  if (r.firewall.length > 0) {
    parts.push(`==> firewall (iptables) <==\n${r.firewall.map((f) => `${f.table === "filter" || /(^| )-t \w+( |$)/.test(f.rule) ? "" : `-t ${f.table} `}${f.position === "front" ? f.rule.replace(/^-A /, "-I ") : f.rule}`).join("\n")}\n`);
  }
  parts.push(`==> commands <==\n${r.commands.join("\n")}\n`);
  return parts.join("\n");
}

async function writeOut(dir: string, r: Rendered): Promise<string[]> {
  const written: string[] = [];
  const write = async (target: string, content: string, mode: number) => {
    await writeFileSafely(dir, target, content, mode);
    written.push(target);
  };
  for (const f of r.files) await write(join(dir, f.path), f.content, f.mode);
  if (r.firewall.length > 0) await write(join(dir, "firewall.json"), `${JSON.stringify(r.firewall, null, 2)}\n`, 0o644);
  await write(join(dir, "commands.sh"), `#!/bin/sh\nset -e\n${r.commands.join("\n")}\n`, 0o755);
  return written;
}

/** One bag, a list of bags, or the VR's merged `site2sitevpn.json` (`{"id":"site2sitevpn","<peer>":{…}}`). */
function bagsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object" && (value as Record<string, unknown>).id === "site2sitevpn") {
    return Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "id").map(([, v]) => v);
  }
  return [value];
}

async function renderDataBags(file: string, publicInterface: string | undefined): Promise<{ rendered?: Rendered; issues: Issue[] }> {
  const doc = await readDocument(file);
  if (doc.issues.length > 0) return { issues: doc.issues };
  const raw = bagsOf(doc.value);
  const bags: Site2SiteVpnDataBag[] = [];
  const issues: Issue[] = [];
  raw.forEach((value, index) => {
    const parsed = parseDataBag(value, raw.length > 1 || Array.isArray(doc.value) ? [index] : []);
    if (parsed.bag) bags.push(parsed.bag);
    issues.push(...parsed.issues);
  });
  if (issues.length > 0) return { issues };
  const renders = bags.map((bag) => renderVr(bag, publicInterface ? { publicInterface } : {}));
  return {
    rendered: { files: renders.flatMap((r) => r.files), firewall: renders.flatMap((r) => r.firewall), commands: renders.flatMap((r) => r.commands) },
    issues: [],
  };
}

async function renderSiteFile(file: string, target: (typeof TARGETS)[number], publicInterface: string | undefined, io: Io): Promise<{ rendered?: Rendered; issues: Issue[] }> {
  const loaded = await loadSiteFile(file);
  if (!loaded.site) return { issues: loaded.issues };
  const site = loaded.site;
  const { psk, issues: pskIssues } = resolveSitePsk(site, io.env);
  const missingIp = site.vpnGateway.publicIp ? [] : [makeIssue("vpnGateway.publicIp", "required-to-render", "is required to render configs; set it to the VPN gateway's public IPv4 address")];
  const blocking = [...pskIssues.filter((i) => i.severity === "error"), ...missingIp];
  const warnings = [...loaded.issues, ...pskIssues.filter((i) => i.severity === "warning")];
  if (!psk || blocking.length > 0) return { issues: [...warnings, ...blocking] };
  printIssues(io, `${file}: `, warnings);
  if (target === "vr") {
    const r = renderVr(siteToDataBag(site, { create: true, psk }), { publicInterface: publicInterface ?? site.vpnGateway.publicInterface });
    return { rendered: r, issues: [] };
  }
  const r = target === "swanctl" ? renderSwanctl(site, { psk }) : renderPeer(site, { psk });
  return { rendered: { files: r.files, firewall: [], commands: r.commands }, issues: [] };
}

/** `render SITE_FILE --target vr|swanctl|peer [--out DIR]` and `render --databag FILE --output json`. */
export async function runRender(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ["target", "out", "databag", "public-interface", "output"]);
  const output = stringOption(args, "output") ?? "text";
  if (output !== "text" && output !== "json") throw new UsageError(`--output must be text or json, not ${JSON.stringify(output)}`);
  const databag = stringOption(args, "databag");
  const publicInterface = stringOption(args, "public-interface");
  if (publicInterface !== undefined && !isInterfaceName(publicInterface)) {
    throw new UsageError(`--public-interface ${JSON.stringify(publicInterface)} ${INTERFACE_NAME_RULE}`);
  }
  let result: { rendered?: Rendered; issues: Issue[] };
  let source: string;
  if (databag !== undefined) {
    if (args.positionals.length > 0 || args.options.has("target")) throw new UsageError("--databag renders a data bag file; give no site file and no --target");
    source = databag;
    result = await renderDataBags(databag, publicInterface);
  } else {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError("render needs exactly one site file (or --databag FILE)");
    const target = stringOption(args, "target");
    if (!target || !(TARGETS as readonly string[]).includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(", ")}`);
    source = file;
    result = await renderSiteFile(file, target as (typeof TARGETS)[number], publicInterface, io);
  }
  if (!result.rendered) {
    printIssues(io, `${source}: `, result.issues);
    return 2;
  }
  const outDir = stringOption(args, "out");
  if (outDir !== undefined) {
    const written = await writeOut(outDir, result.rendered);
    io.out(`${written.map((w) => `wrote ${w}`).join("\n")}\n`);
  } else {
    io.out(output === "json" ? toJson(result.rendered) : toText(result.rendered));
  }
  return 0;
}

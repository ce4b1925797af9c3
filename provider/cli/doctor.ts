/**
 * `cloudstack-s2s doctor`: offline (`--log FILE`, a charon log from the router or the branch) or live (`--site` with
 * gateway SSH access: the router's own status, log, loaded connections and firewall counters). Exit 0 when nothing
 * is wrong, 3 when a finding names a problem, 1/2 for tool and usage errors.
 */
import { readFile } from "node:fs/promises";
import { CAUSES, diagnoseLog, formatFindings, type Finding } from "../doctor";
import type { SiteSpec } from "../model/site";
import { UsageError, parseArgs, stringOption } from "./args";
import { printIssues, type Io } from "./output";
import { runLiveDoctor } from "./doctor-live";
import { loadSiteFile } from "./site-files";

/** Findings that say the tunnel is fine or merely describe it. */
const HEALTHY = new Set<Finding["cause"]>(["established", "nat-detected"]);

export function doctorExitCode(findings: readonly Finding[]): number {
  return findings.some((f) => !HEALTHY.has(f.cause)) ? 3 : 0;
}

export async function loadSiteForDoctor(file: string, io: Io): Promise<{ site: SiteSpec; secrets: string[] }> {
  const loaded = await loadSiteFile(file);
  const errors = loaded.issues.filter((i) => i.severity === "error");
  if (!loaded.site || errors.length > 0) {
    printIssues(io, `${file}: `, loaded.issues);
    throw new UsageError(`${file} is not a valid site file`);
  }
  const ref = loaded.site.customerGateway.ipsecPsk;
  // doctor never needs the key; it only has to know it to keep it out of the output.
  const fromEnv = typeof ref === "string" ? undefined : io.env[ref.env];
  return { site: loaded.site, secrets: fromEnv ? [fromEnv] : [] };
}

function outputOf(value: string | undefined): "text" | "json" {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new UsageError(`--output ${JSON.stringify(value)} must be text or json`);
}

export async function runDoctor(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ["log", "side", "site", "output", "gateway-ssh", "since", "log-path", "log-lines", "peer-address", "watch"]);
  if (args.positionals.length > 0) throw new UsageError(`doctor takes no positional arguments (got ${JSON.stringify(args.positionals[0])}); use --log FILE or --site FILE`);
  const output = outputOf(stringOption(args, "output"));
  const side = stringOption(args, "side");
  if (side !== undefined && side !== "vr" && side !== "peer") throw new UsageError(`--side ${JSON.stringify(side)} must be vr or peer`);
  const siteFile = stringOption(args, "site");
  const logFile = stringOption(args, "log");
  const loaded = siteFile ? await loadSiteForDoctor(siteFile, io) : undefined;
  if (logFile === undefined) {
    if (!loaded) throw new UsageError("doctor needs --log FILE (offline), or --site FILE with --gateway-ssh FILE (live)");
    return runLiveDoctor(args, loaded, output, io);
  }
  let text: string;
  try {
    text = await readFile(logFile, "utf8");
  } catch (e) {
    throw new UsageError(`--log ${logFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const d = diagnoseLog(text, { ...(side ? { side } : {}), ...(loaded ? { site: loaded.site, secrets: loaded.secrets } : {}) });
  if (d.lines === 0) io.err(`cloudstack-s2s: ${logFile} holds no charon line (expected charon.log, syslog or journal lines with "NN[IKE]" tags)\n`);
  if (d.findings.length === 0 && d.attempts > 0 && output === "text") {
    io.out(`${d.attempts} connection attempt(s) in this log, none with a recognisable outcome yet (in progress, or cut off by the log's start or end).\n`);
    return 0;
  }
  io.out(formatFindings(d.findings, output));
  return doctorExitCode(d.findings);
}

export const DOCTOR_CAUSES_HELP = Object.entries(CAUSES)
  .map(([code, text]) => `  ${code.padEnd(22)} ${text}`)
  .join("\n");

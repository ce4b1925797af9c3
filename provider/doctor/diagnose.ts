/** parse → group → classify: the whole offline diagnosis of one charon log, without I/O. */
import type { SiteSpec } from "../model/site";
import { groupAttempts } from "./attempts";
import type { Finding, Side } from "./causes";
import { classifyAttempt } from "./classify";
import { expectationOf } from "./expect";
import { parseCharonLog } from "./parse";
import { redactDeep } from "./redact";

export interface DiagnoseOptions {
  /** Whose log this is; detected when absent (a responder to branches is the router). */
  side?: Side;
  /** The site the log is about: enables the comparisons that name a site field. */
  site?: SiteSpec;
  /** Keys to keep out of the output besides the site's own (e.g. resolved from the environment). */
  secrets?: string[];
}

export interface Diagnosis {
  side: Side;
  /** charon lines read, connection attempts found. */
  lines: number;
  attempts: number;
  findings: Finding[];
}

export function detectSide(text: string): Side | undefined {
  const lines = parseCharonLog(text);
  if (lines.some((l) => /^\S+ is initiating an? (IKE_SA|Main Mode|Aggressive Mode)/.test(l.text))) return "vr";
  if (lines.some((l) => /^initiating (Main Mode |Aggressive Mode )?IKE_SA /.test(l.text))) return "peer";
  return undefined;
}

export function siteSecrets(site: SiteSpec | undefined): string[] {
  const psk = site?.customerGateway.ipsecPsk;
  return typeof psk === "string" ? [psk] : [];
}

export function diagnoseLog(text: string, options: DiagnoseOptions = {}): Diagnosis {
  const lines = parseCharonLog(text);
  const side = options.side ?? detectSide(text) ?? "vr";
  const { attempts, configs } = groupAttempts(lines);
  const site = options.site ? expectationOf(options.site) : undefined;
  const findings = attempts.flatMap((a) => classifyAttempt(a, { side, configs, ...(site ? { site } : {}) }));
  const secrets = [...siteSecrets(options.site), ...(options.secrets ?? [])];
  return { side, lines: lines.length, attempts: attempts.length, findings: redactDeep(findings, secrets) };
}

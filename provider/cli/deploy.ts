/**
 * `push`, `unpush` and `reconcile`: the site files' VPNs for GitOps pipelines, cron and CI (and the CDKTF
 * provisioners), without Pulumi or Terraform. The work is provider/deploy/; this file reads inputs and prints.
 *
 * Exit codes: push/unpush 0 done (also when nothing had to change), 1 failed, 2 invalid input or usage;
 * reconcile 0 in sync, 2 repaired, 1 failed (invalid input included: 2 would read as "repaired").
 */
import type { CloudStackClient } from "../cloudstack";
import { DriftCache, pushSite, reconcileSite, unpushSite, type DeployContext, type SiteOutcome } from "../deploy/site";
import { GatewaySession } from "../deploy/gateway-site";
import type { Issue } from "../model/issues";
import type { SiteSpec } from "../model/site";
import { parseArgs, stringOption, UsageError } from "./args";
import { cloudStackClient, sitePsk } from "./deploy-inputs";
import { loadGatewayAccess } from "./gateway-access-input";
import { printIssues, type Io } from "./output";
import { loadSiteFile } from "./site-files";

const OPTIONS = ["credentials-file", "gateway-ssh", "psk-file"] as const;

interface Loaded {
  file: string;
  site: SiteSpec;
  psk?: string;
}

/** `-` reads the site document from standard input (how the CDKTF provisioners hand it over). */
const pathOf = (file: string): string => (file === "-" ? "/dev/stdin" : file);

async function loadSites(files: readonly string[], needPsk: boolean, pskFile: string | undefined, io: Io): Promise<{ sites: Loaded[]; failed: string[] }> {
  const sites: Loaded[] = [];
  const failed: string[] = [];
  for (const file of files) {
    const loaded = await loadSiteFile(pathOf(file));
    const issues: Issue[] = [...loaded.issues];
    let psk: string | undefined;
    if (loaded.site && needPsk) {
      const resolved = sitePsk(loaded.site, pskFile, io.env);
      issues.push(...resolved.issues);
      psk = resolved.psk;
    }
    printIssues(io, `${file}: `, issues);
    if (!loaded.site || issues.some((i) => i.severity === "error") || (needPsk && psk === undefined)) failed.push(file);
    else sites.push({ file, site: loaded.site, ...(psk !== undefined ? { psk } : {}) });
  }
  return { sites, failed };
}

function report(io: Io, outcome: SiteOutcome, idle: string): void {
  for (const w of outcome.warnings) io.err(`site ${outcome.site}: warning: ${w}\n`);
  if (!outcome.changed) io.out(`site ${outcome.site}: ${outcome.actions[0] ?? idle}\n`);
  else for (const a of outcome.actions) io.out(a.startsWith("  ") ? `${a}\n` : `site ${outcome.site}: ${a}\n`);
}

async function withContext<T>(argsCredentials: string | undefined, gatewaySsh: string | undefined, io: Io, fn: (ctx: DeployContext) => Promise<T>): Promise<T> {
  const client: CloudStackClient = cloudStackClient(argsCredentials, io.env);
  const access = loadGatewayAccess(gatewaySsh, io.env);
  const gateway = access ? new GatewaySession(access) : undefined;
  try {
    return await fn({ client, ...(gateway ? { gateway } : {}) });
  } finally {
    await gateway?.close();
    client.close();
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** `push SITE_FILE [--credentials-file F] [--gateway-ssh F] [--psk-file F]` */
export async function runPush(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) throw new UsageError("push needs exactly one site file (`-` reads it from standard input)");
  const { sites } = await loadSites([file], true, stringOption(args, "psk-file"), io);
  const loaded = sites[0];
  if (!loaded) return 2;
  return withContext(stringOption(args, "credentials-file"), stringOption(args, "gateway-ssh"), io, async (ctx) => {
    report(io, await pushSite(ctx, loaded.site, loaded.psk!), "already in place; nothing changed");
    return 0;
  });
}

/** `unpush SITE_FILE [--credentials-file F] [--gateway-ssh F]`: needs no PSK. */
export async function runUnpush(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, OPTIONS.filter((o) => o !== "psk-file"));
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) throw new UsageError("unpush needs exactly one site file (`-` reads it from standard input)");
  const { sites } = await loadSites([file], false, undefined, io);
  const loaded = sites[0];
  if (!loaded) return 2;
  return withContext(stringOption(args, "credentials-file"), stringOption(args, "gateway-ssh"), io, async (ctx) => {
    report(io, await unpushSite(ctx, loaded.site), "nothing to remove");
    return 0;
  });
}

/** `reconcile SITE_FILE... [--credentials-file F] [--gateway-ssh F]`: 0 in sync, 2 repaired, 1 failed. */
export async function runReconcile(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv, OPTIONS.filter((o) => o !== "psk-file"));
    if (args.positionals.length === 0) throw new UsageError("reconcile needs one or more site files");
    const started = performance.now();
    const { sites, failed } = await loadSites(args.positionals, true, undefined, io);
    let repaired = 0;
    await withContext(stringOption(args, "credentials-file"), stringOption(args, "gateway-ssh"), io, async (ctx) => {
      const drift = new DriftCache();
      for (const { site, psk } of sites) {
        try {
          const outcome = await reconcileSite(ctx, site, psk!, drift);
          if (outcome.changed) repaired++;
          report(io, { ...outcome, actions: outcome.changed ? ["repaired:", ...outcome.actions.map((a) => (a.startsWith("  ") ? a : `  ${a}`))] : ["in sync"] }, "in sync");
        } catch (e) {
          failed.push(site.name);
          io.err(`site ${site.name}: failed: ${message(e)}\n`);
        }
      }
    });
    const total = args.positionals.length;
    io.out(`reconcile: ${total - repaired - failed.length} in sync, ${repaired} repaired, ${failed.length} failed (${Math.round(performance.now() - started)} ms)\n`);
    return failed.length > 0 ? 1 : repaired > 0 ? 2 : 0;
  } catch (e) {
    io.err(`cloudstack-s2s reconcile: ${message(e)}\n`);
    return 1;
  }
}

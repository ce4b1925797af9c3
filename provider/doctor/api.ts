/**
 * `diagnose()` for programs (Pulumi stacks, scripts): the same diagnosis as `cloudstack-s2s doctor`, from a log
 * text (offline) or from the router over the push's SSH access (live). It keeps no state anywhere: call it from a
 * program's own checks, e.g. after `pulumi up`, and print or assert on the findings.
 */
import type { SshAccessSpec } from "../model/gateway-access";
import { parseSite, type SiteInput, type SiteSpec } from "../model/site";
import { ValidationError } from "../model/issues";
import type { Finding, Side } from "./causes";
import { diagnoseLog } from "./diagnose";
import { analyzeRouter } from "./live";
import type { ConnectionHealth } from "./status";

export interface DiagnoseInput {
  /** The site (a parsed SiteSpec or a site document as in a site file). */
  site?: SiteSpec | SiteInput;
  /** Offline: a charon log (charon.log, syslog or journal lines) from the router or the branch. */
  log?: string;
  side?: Side;
  /** Live: the router's SSH access (the VpnGateway's `ssh`). */
  gatewaySsh?: SshAccessSpec;
  /** Live: where the router's charon logs. @default /var/log/daemon.log (CloudStack's VR) */
  logPath?: string;
  /** Live: log window. @default 600 */
  sinceSeconds?: number;
  /** Live: seconds between the firewall counter snapshots. @default 5 */
  watchSeconds?: number;
  /** Live: the branch's current public address, if known. */
  peerAddress?: string;
}

export interface DiagnoseResult {
  findings: Finding[];
  /** Live only: per connection health as `cloudstack-s2s status` reports it. */
  health?: ConnectionHealth[];
}

function siteOf(input: SiteSpec | SiteInput | undefined): SiteSpec | undefined {
  if (input === undefined) return undefined;
  const parsed = parseSite(input);
  if (!parsed.site) throw new ValidationError(parsed.issues);
  return parsed.site;
}

export async function diagnose(input: DiagnoseInput): Promise<DiagnoseResult> {
  const site = siteOf(input.site);
  if (input.log !== undefined) return { findings: diagnoseLog(input.log, { ...(input.side ? { side: input.side } : {}), ...(site ? { site } : {}) }).findings };
  if (!input.gatewaySsh || !site) throw new Error("diagnose() needs `log` (offline), or `site` with `gatewaySsh` (live)");
  const ssh = input.gatewaySsh;
  // Loaded on demand: the package's main entry (which exports diagnose) must not load the SSH client.
  const { connectAccess } = await import("../push/session.js");
  const { readRouterView } = await import("../push/router-view.js");
  const host = await connectAccess(ssh);
  try {
    const view = await readRouterView(host, { sinceSeconds: input.sinceSeconds ?? 600, ...(input.logPath ? { logPath: input.logPath } : {}), ...(input.watchSeconds !== undefined ? { watchSeconds: input.watchSeconds } : {}) });
    return analyzeRouter(view, site, input.peerAddress ? { peerAddress: input.peerAddress } : {});
  } finally {
    await host.close().catch(() => undefined);
  }
}

/**
 * Reads what `doctor` and `status` need from a router over the push's access (read-only): `ipsec statusall`, the
 * tail of the charon log, the identities the secrets are keyed by (the keys never leave the router: the push's
 * selector reader prints only what precedes strongSwan's first ` : `), two counted snapshots of the filter table, and the push's record
 * compared with the router (inspect()).
 */
import type { RouterView } from "../doctor/live";
import { firstLines } from "./errors";
import type { GatewayHost } from "./gateway-host";
import { STATE_PATH } from "./gateway-state";
import { ALL_SECRET_SELECTORS } from "./foreign-secrets";
import { inspect } from "./inspect";
import { parseStateFile } from "./remote-state";

/** CloudStack's VR: charon logs to syslog's daemon facility, which its rsyslog.conf writes to /var/log/daemon.log. */
export const DEFAULT_ROUTER_LOG = "/var/log/daemon.log";

export interface RouterViewOptions {
  logPath?: string;
  /** Lines of the log to read (its tail). @default 5000 */
  logLines?: number;
  /** Seconds between the two firewall snapshots. @default 5 */
  watchSeconds?: number;
  /** Compare with the push's record (s2s-state.json) when the router holds one. @default true */
  drift?: boolean;
  /** Only log lines from the last N seconds count (by the router's clock). @default all lines read */
  sinceSeconds?: number;
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

async function must(host: GatewayHost, command: string): Promise<string> {
  const r = await host.exec(command);
  if (r.code !== 0) throw new Error(`${host.identity}: \`${command.split(" ")[0]}\` exited ${r.code}: ${firstLines(r.stderr || r.stdout)}`);
  return r.stdout;
}

export async function readRouterView(host: GatewayHost, options: RouterViewOptions = {}): Promise<RouterView> {
  const logPath = options.logPath ?? DEFAULT_ROUTER_LOG;
  if (!SAFE_PATH.test(logPath) || logPath.split("/").includes("..")) throw new Error(`log path ${JSON.stringify(logPath)} must be an absolute path of letters, digits, . _ - /`);
  const lines = options.logLines ?? 5000;
  if (!Number.isInteger(lines) || lines < 1 || lines > 200_000) throw new Error(`logLines ${lines} must be 1…200000`);
  const watch = options.watchSeconds ?? 5;
  const firewallBefore = await must(host, "iptables-save -c -t filter");
  const routerTime = (await must(host, "date +%H:%M:%S")).trim();
  const started = Date.now();
  const status = await must(host, "ipsec statusall");
  const logRun = await host.exec(`tail -n ${lines} ${logPath}`);
  const log = logRun.code === 0 ? logRun.stdout : "";
  // The selector text of each secret as written (quotes kept), without the file name.
  const secretIds = (await must(host, ALL_SECRET_SELECTORS))
    .split("\n")
    .filter((l) => l.includes("\t"))
    .map((l) => l.slice(l.indexOf("\t") + 1).trim())
    .filter(Boolean);
  let drift: RouterView["drift"];
  let pushedConnections: string[] | undefined;
  if (options.drift !== false) {
    const record = parseStateFile(await host.readFile(STATE_PATH));
    if (record) {
      pushedConnections = record.connections.map((c) => c.name);
      const report = await inspect(host, record);
      drift = { inSync: report.inSync, problems: [...report.files.map((f) => `${f.path}: ${f.problem}`), ...report.firewall, ...report.connections] };
    }
  }
  const rest = watch * 1000 - (Date.now() - started);
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  const firewallAfter = await must(host, "iptables-save -c -t filter");
  return { status, log: logRun.code === 0 ? log : `(cannot read ${logPath}: ${firstLines(logRun.stderr)})`, logPath, secretIds, firewallBefore, firewallAfter, watchSeconds: watch, routerTime, ...(options.sinceSeconds !== undefined ? { sinceSeconds: options.sinceSeconds } : {}), ...(drift ? { drift } : {}), ...(pushedConnections ? { pushedConnections } : {}) };
}

/**
 * `cloudstack-s2s status [--site SITE_FILE...] --gateway-ssh FILE`: health of each site's connections on the router
 * (without --site: of every peer the push put there, from its record; else of every loaded connection).
 * Exit 0 healthy, 3 degraded (up without CHILD_SA, or differing from the site or the last push), 4 down.
 */
import { expectationOf } from "../doctor/expect";
import { redactDeep } from "../doctor/redact";
import { connectionHealth, formatHealth, statusExitCode, type ConnectionHealth } from "../doctor/status";
import { readRouterView } from "../push/router-view";
import { UsageError, parseArgs, stringOption } from "./args";
import { loadSiteForDoctor } from "./doctor";
import { withCliGateway } from "./gateway-connect";
import type { Io } from "./output";

export async function runStatus(argv: readonly string[], io: Io): Promise<number> {
  // --site may repeat: every value is a site file (parseArgs keeps the last, so collect them here).
  const sites: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--site") sites.push(argv[++i] ?? "");
    else if (argv[i]!.startsWith("--site=")) sites.push(argv[i]!.slice(7));
    else rest.push(argv[i]!);
  }
  const args = parseArgs(rest, ["gateway-ssh", "output"]);
  sites.push(...args.positionals);
  if (sites.some((s) => s === "")) throw new UsageError("--site needs a value (a site file)");
  const output = stringOption(args, "output") ?? "text";
  if (output !== "text" && output !== "json") throw new UsageError(`--output ${JSON.stringify(output)} must be text or json`);
  const loaded = await Promise.all(sites.map((s) => loadSiteForDoctor(s, io)));
  const view = await withCliGateway(stringOption(args, "gateway-ssh"), io, (host) => readRouterView(host, { watchSeconds: 0, logLines: 1 }));
  const secrets = loaded.flatMap((l) => [...l.secrets, ...(typeof l.site.customerGateway.ipsecPsk === "string" ? [l.site.customerGateway.ipsecPsk] : [])]);
  // Without --site: every peer the push put on this router (its record), or else every loaded connection.
  const list: ConnectionHealth[] = loaded.length > 0 ? loaded.flatMap((l) => connectionHealth(view.status, expectationOf(l.site))) : connectionHealth(view.status, undefined, view.pushedConnections);
  if (view.drift && !view.drift.inSync) for (const c of list) if (c.health === "healthy") Object.assign(c, { health: "degraded", mismatches: [...c.mismatches, "the router differs from the last push"], reasons: [...c.reasons, ...view.drift.problems.slice(0, 3)] });
  const safe = redactDeep(list, secrets);
  io.out(output === "json" ? `${JSON.stringify({ connections: safe, exitCode: statusExitCode(safe) }, null, 2)}\n` : formatHealth(safe));
  return statusExitCode(safe);
}

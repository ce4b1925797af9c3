/** `doctor --site SITE_FILE --gateway-ssh FILE`: the live diagnosis of one site on its router. */
import { analyzeRouter } from "../doctor/live";
import { formatFindings } from "../doctor";
import type { SiteSpec } from "../model/site";
import { isStrictIpv4 } from "../model/net";
import { readRouterView } from "../push/router-view";
import { UsageError, stringOption, type ParsedArgs } from "./args";
import { doctorExitCode } from "./doctor";
import { withCliGateway } from "./gateway-connect";
import type { Io } from "./output";

function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} ${JSON.stringify(text)} must be a whole number from ${min} to ${max}`);
  return n;
}

export async function runLiveDoctor(args: ParsedArgs, loaded: { site: SiteSpec; secrets: string[] }, output: "text" | "json", io: Io): Promise<number> {
  const peerAddress = stringOption(args, "peer-address");
  if (peerAddress !== undefined && !isStrictIpv4(peerAddress)) throw new UsageError(`--peer-address ${JSON.stringify(peerAddress)} must be an IPv4 address`);
  const watch = intOption(args, "watch", 1, 120);
  const since = intOption(args, "since", 1, 7 * 86400) ?? 600;
  const lines = intOption(args, "log-lines", 1, 200_000);
  const logPath = stringOption(args, "log-path");
  const view = await withCliGateway(stringOption(args, "gateway-ssh"), io, (host) =>
    readRouterView(host, { ...(logPath ? { logPath } : {}), ...(watch ? { watchSeconds: watch } : {}), sinceSeconds: since, ...(lines ? { logLines: lines } : {}) }),
  );
  const d = analyzeRouter(view, loaded.site, { ...(peerAddress ? { peerAddress } : {}), secrets: loaded.secrets });
  io.out(formatFindings(d.findings, output));
  return doctorExitCode(d.findings);
}

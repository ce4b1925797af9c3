import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generatePsk } from "../model/psk";
import { UsageError, parseArgs, stringOption } from "./args";
import { processIo, type Io } from "./output";
import { runDeviceConfig } from "./device-config";
import { runPush, runReconcile, runUnpush } from "./deploy";
import { runRender } from "./render";
import { runValidate } from "./validate";
import { runDoctor } from "./doctor";
import { runStatus } from "./status";

export const USAGE = `cloudstack-s2s — site-to-site IPsec VPNs for Apache CloudStack, including dynamic-IP peers

Usage:
  cloudstack-s2s validate FILE...
      Check site files (YAML or JSON). Exit 0, or 2 with every problem listed by file and field path.
  cloudstack-s2s render SITE_FILE --target vr|swanctl|peer [--out DIR] [--output text|json] [--public-interface IF]
      Render the configuration of one side: vr (CloudStack virtual router format), swanctl (a standalone
      strongSwan gateway) or peer (the branch router). Prints, or writes the files under DIR with their modes
      (secrets 0600). A PSK given as { env: NAME } is read from that environment variable.
  cloudstack-s2s render --databag FILE [--public-interface IF] [--output json|text]
      Render what a virtual router does for a site2sitevpn data bag (one bag, a list, or the merged file).
  cloudstack-s2s device-config SITE_FILE --vendor NAME [--out FILE] [--include-psk]
      Render the branch router's configuration for a vendor (--vendor list shows them). The PSK is a marked
      placeholder unless --include-psk (then { env: NAME } is read from the environment and --out is written 0600).
  cloudstack-s2s psk [--bytes N]
      Print a strong random pre-shared key (default 32 random bytes, base64url).
  cloudstack-s2s local-cloud [--port N] [--state FILE] [--variant 4.22|dynamic-peer] [--credentials-file FILE] [--vr memory|netns]
      Run the embedded local CloudStack endpoint (--vr netns, as root: with a real strongSwan virtual router).
  cloudstack-s2s doctor --log FILE [--side vr|peer] [--site SITE_FILE] [--output text|json]
      Explain every connection attempt in a charon log (charon.log, syslog or journal lines) from the router or
      the branch: cause, the log lines that show it, and the fix (with the site field to change when --site is
      given). Exit 0 when nothing is wrong, 3 when a problem is found. Cause codes: docs/doctor-causes.md.
  cloudstack-s2s doctor --site SITE_FILE [--gateway-ssh FILE] [--log-path PATH] [--since SECONDS] [--watch SECONDS] [--peer-address IP] [--output text|json]
      Live: read the router's status, charon log, loaded connections, secret identities (never keys) and firewall
      counters over the push's SSH access (or S2S_GATEWAY_SSH_FILE / S2S_GATEWAY_SSH), then diagnose the site.
      Log: --log-path (default /var/log/daemon.log, where CloudStack's VR syslog puts charon), last --since
      seconds (default 600); counters over --watch seconds (default 5).
  cloudstack-s2s status [--site SITE_FILE...] [--gateway-ssh FILE] [--output text|json]
      Per connection: IKE and CHILD state, the authenticated peer ID and address, bytes/packets and how long ago
      they moved, and whether the router matches the site and the last push (without --site: every pushed peer).
      Exit 0 healthy, 3 degraded, 4 down.
  cloudstack-s2s push SITE_FILE [--credentials-file FILE] [--gateway-ssh FILE] [--psk-file FILE]
      Create or update the site's VPN: CloudStack objects (static peers; dynamic peers when the cloud has the
      dynamic-peer API), or the dynamic peer pushed to the VPC's router over SSH. SITE_FILE - reads stdin.
      Credentials: --credentials-file or CLOUDSTACK_API_URL/_API_KEY/_SECRET_KEY; router access: --gateway-ssh,
      S2S_GATEWAY_SSH_FILE or S2S_GATEWAY_SSH; PSK: the site's { env: NAME } or --psk-file. Exit 0, 1 failed, 2 invalid.
  cloudstack-s2s unpush SITE_FILE [--credentials-file FILE] [--gateway-ssh FILE]
      Remove the site's VPN (the VPC's VPN gateway stays). Nothing there, or the VPC gone: exit 0 and says so.
  cloudstack-s2s reconcile SITE_FILE... [--credentials-file FILE] [--gateway-ssh FILE]
      For cron/CI: re-push what is missing or drifted; prints what it did. Exit 0 in sync, 2 repaired, 1 failed.
  cloudstack-s2s --help | --version
`;

/** The package's version, found from both the sources (ts-node) and the build (dist/). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "cloudstack-s2s") return pkg.version ?? "unknown";
    }
  }
  return "unknown";
}

async function runPsk(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ["bytes"]);
  const bytesText = stringOption(args, "bytes") ?? "32";
  const bytes = Number(bytesText);
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 128) throw new UsageError(`--bytes ${JSON.stringify(bytesText)} must be a whole number from 16 to 128`);
  io.out(`${generatePsk(bytes)}\n`);
  return 0;
}

async function runLocalCloudCommand(argv: readonly string[]): Promise<number> {
  // Loaded on demand: the endpoint pulls in an HTTP server the other commands do not need.
  const { runLocalCloud } = require("./local-cloud") as { runLocalCloud(argv: string[]): Promise<number> };
  return runLocalCloud([...argv]);
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 invalid input or usage). */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && (rest.includes("--help") || rest.includes("-h"))) {
    io.out(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      case "--version":
      case "version":
        io.out(`${packageVersion()}\n`);
        return 0;
      case "validate":
        return await runValidate(rest, io);
      case "render":
        return await runRender(rest, io);
      case "psk":
        return await runPsk(rest, io);
      case "device-config":
        return await runDeviceConfig(rest, io);
      case "local-cloud":
        return await runLocalCloudCommand(rest);
      case "doctor":
        return await runDoctor(rest, io);
      case "status":
        return await runStatus(rest, io);
      case "push":
        return await runPush(rest, io);
      case "unpush":
        return await runUnpush(rest, io);
      case "reconcile":
        return await runReconcile(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cloudstack-s2s: ${error.message}\nRun \`cloudstack-s2s --help\` for usage.\n`);
      return 2;
    }
    io.err(`cloudstack-s2s: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

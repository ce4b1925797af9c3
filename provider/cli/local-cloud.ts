/**
 * `cloudstack-s2s local-cloud`: runs the embedded CloudStack endpoint in the foreground until SIGINT/SIGTERM, prints
 * the URL and the admin keys, and writes them to a 0600 credentials file for scripts.
 */
import { resolve } from "node:path";
import { startLocalCloud, type ApiVariant } from "../local-cloud";
import { writeFileAtomic } from "../local-cloud/persistence";

export const DEFAULT_LOCAL_CLOUD_PORT = 8080;

const USAGE = `usage: cloudstack-s2s local-cloud [--port N] [--state FILE] [--variant 4.22|dynamic-peer] [--credentials-file FILE]

  --port N                 listen on 127.0.0.1:N (default ${DEFAULT_LOCAL_CLOUD_PORT}; 0 picks a free port)
  --state FILE             keep the cloud in FILE (mode 0600) so keys, VPCs and VPNs survive restarts
  --variant V              4.22 (stock CloudStack API, default) or dynamic-peer (apache/cloudstack#13512)
  --credentials-file FILE  write {"url","apiKey","secretKey"} to FILE (mode 0600)`;

interface CliOptions {
  port: number;
  state?: string;
  variant: ApiVariant;
  credentialsFile?: string;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): CliOptions | "help" {
  const options: CliOptions = { port: DEFAULT_LOCAL_CLOUD_PORT, variant: "4.22" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") return "help";
    const [name, inline] = flag.startsWith("--") && flag.includes("=") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`\`${name}\` needs a value`);
    switch (name) {
      case "--port": {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`\`--port\` ${value} is not a port; use 0–65535`);
        options.port = port;
        break;
      }
      case "--state":
        options.state = resolve(value);
        break;
      case "--variant":
        if (value !== "4.22" && value !== "dynamic-peer") throw new UsageError(`\`--variant\` ${value} is unknown; use 4.22 or dynamic-peer`);
        options.variant = value;
        break;
      case "--credentials-file":
        options.credentialsFile = resolve(value);
        break;
      default:
        throw new UsageError(`unknown option \`${name}\``);
    }
  }
  return options;
}

export interface LocalCloudIo {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** Stops the endpoint like SIGINT does (for in-process callers such as tests). */
  stop?: AbortSignal;
}

function waitForStop(stop: AbortSignal | undefined): Promise<string> {
  return new Promise((resolveStop) => {
    const finish = (why: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolveStop(why);
    };
    const onInt = () => finish("SIGINT");
    const onTerm = () => finish("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    if (stop?.aborted) finish("stop");
    stop?.addEventListener("abort", () => finish("stop"), { once: true });
  });
}

export async function runLocalCloud(argv: string[], io: LocalCloudIo = {}): Promise<number> {
  const out = io.stdout ?? ((line: string) => process.stdout.write(line + "\n"));
  const err = io.stderr ?? ((line: string) => process.stderr.write(line + "\n"));
  let options: CliOptions | "help";
  try {
    options = parseArgs(argv);
  } catch (error) {
    err(`local-cloud: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    out(USAGE);
    return 0;
  }
  const started = Date.now();
  let cloud;
  try {
    cloud = await startLocalCloud({ port: options.port, variant: options.variant, ...(options.state ? { stateFile: options.state } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === "EADDRINUSE" ? ` (port ${options.port} is taken; pick another with --port)` : "";
    err(`local-cloud: cannot start: ${(error as Error).message}${hint}`);
    return 1;
  }
  if (options.credentialsFile) {
    writeFileAtomic(options.credentialsFile, JSON.stringify({ url: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey }, null, 2) + "\n");
  }
  const vpc = cloud.seededVpc;
  out(`local CloudStack (${options.variant} API) listening on ${cloud.url} — started in ${Date.now() - started} ms`);
  out(`admin API key:    ${cloud.admin.apiKey}`);
  out(`admin secret key: ${cloud.admin.secretKey}`);
  out("  (these keys only work against this local, loopback-only endpoint)");
  out(`seeded VPC:       ${vpc.name} id=${vpc.id} cidr=${vpc.cidr} source-NAT ${vpc.publicIp} zone=${vpc.zoneId}`);
  out(`state:            ${options.state ?? "in memory (lost on exit; use --state FILE to keep it)"}`);
  if (options.credentialsFile) out(`credentials:      ${options.credentialsFile} (mode 0600)`);
  out("press Ctrl+C to stop");
  const why = await waitForStop(io.stop);
  await cloud.close();
  out(`local-cloud stopped (${why})`);
  return 0;
}

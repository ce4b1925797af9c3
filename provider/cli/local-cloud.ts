/**
 * `cloudstack-s2s local-cloud`: runs the embedded CloudStack endpoint in the foreground until SIGINT/SIGTERM, prints
 * the URL and the admin keys, and writes them to a 0600 credentials file for scripts.
 */
import { basename, dirname, join, resolve } from "node:path";
import { startLocalCloud, type ApiVariant, type VirtualRouter } from "../local-cloud";
import { NetnsRouter } from "../local-cloud/netns";
import { writeFileAtomic } from "../local-cloud/persistence";

export const DEFAULT_LOCAL_CLOUD_PORT = 8080;

const USAGE = `usage: cloudstack-s2s local-cloud [--port N] [--state FILE] [--variant 4.22|dynamic-peer] [--credentials-file FILE] [--vr memory|netns] [--redundant]

  --port N                 listen on 127.0.0.1:N (default ${DEFAULT_LOCAL_CLOUD_PORT}; 0 picks a free port)
  --state FILE             keep the cloud in FILE (mode 0600) so keys, VPCs and VPNs survive restarts
  --variant V              4.22 (stock CloudStack API, default) or dynamic-peer (apache/cloudstack#13512)
  --credentials-file FILE  write {"url","apiKey","secretKey"} to FILE (mode 0600); with --vr netns also "vr":
                           {"sshHost","sshPort","hostKey","privateKeyFile","publicIp","publicInterface"}
  --vr memory|netns        the VPC router: in memory (default), or (root only) a real one in network namespaces:
                           strongSwan, iptables and sshd on a link-local control address, port 3922, with its
                           host key and a login key written beside the credentials file (mode 0600)
  --redundant              with --vr netns: a redundant VPC (two router VMs, keepalived failover); the credentials
                           file also gets "vrs": [{"id","name",…same fields as "vr"}] for both VMs ("vr" is the
                           first, PRIMARY at start)`;

interface CliOptions {
  port: number;
  state?: string;
  variant: ApiVariant;
  credentialsFile?: string;
  vr: "memory" | "netns";
  redundant?: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): CliOptions | "help" {
  const options: CliOptions = { port: DEFAULT_LOCAL_CLOUD_PORT, variant: "4.22", vr: "memory" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") return "help";
    if (flag === "--redundant") {
      options.redundant = true;
      continue;
    }
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
      case "--vr":
        if (value !== "memory" && value !== "netns") throw new UsageError(`\`--vr\` ${value} is unknown; use memory or netns`);
        options.vr = value;
        break;
      default:
        throw new UsageError(`unknown option \`${name}\``);
    }
  }
  if (options.redundant && options.vr !== "netns") throw new UsageError("`--redundant` needs `--vr netns` (the in-memory router has no VMs to fail over)");
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
  let netns: NetnsRouter | undefined;
  try {
    if (options.vr === "netns") {
      const f = options.credentialsFile;
      netns = await NetnsRouter.create({ ...(f ? { keyBase: join(dirname(f), `${basename(f).replace(/\.json$/, "")}-vr`) } : {}), ...(options.redundant ? { redundant: true } : {}) });
    }
    const router: VirtualRouter | undefined = netns;
    cloud = await startLocalCloud({ port: options.port, variant: options.variant, ...(options.state ? { stateFile: options.state } : {}), ...(router ? { router } : {}) });
    if (netns && (cloud.seededVpc.publicIp !== netns.access.publicIp || cloud.seededVpc.cidr !== netns.vpcCidr)) {
      await cloud.close();
      throw new Error(`the seeded VPC (${cloud.seededVpc.cidr}, ${cloud.seededVpc.publicIp}) is not the one the netns VR serves (${netns.vpcCidr}, ${netns.access.publicIp}); start without --state, or with a state file made with --vr netns`);
    }
  } catch (error) {
    await netns?.close();
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === "EADDRINUSE" ? ` (port ${options.port} is taken; pick another with --port)` : "";
    err(`local-cloud: cannot start: ${(error as Error).message}${hint}`);
    return 1;
  }
  if (options.credentialsFile) {
    const vrs = netns?.redundant ? { vrs: netns.vms().map((v) => ({ id: v.id, name: v.name, ...v.access })) } : {};
    const vr = netns ? { vr: netns.access, ...vrs } : {};
    writeFileAtomic(options.credentialsFile, JSON.stringify({ url: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey, ...vr }, null, 2) + "\n");
  }
  const vpc = cloud.seededVpc;
  out(`local CloudStack (${options.variant} API) listening on ${cloud.url} — started in ${Date.now() - started} ms`);
  out(`admin API key:    ${cloud.admin.apiKey}`);
  out(`admin secret key: ${cloud.admin.secretKey}`);
  out("  (these keys only work against this local, loopback-only endpoint)");
  out(`seeded VPC:       ${vpc.name} id=${vpc.id} cidr=${vpc.cidr} source-NAT ${vpc.publicIp} zone=${vpc.zoneId}`);
  if (netns) {
    out(`VPC router:       netns ${netns.topo.vr} (strongSwan + iptables), SSH root@${netns.access.sshHost}:3922 over the link-local control link ${netns.link.rootInterface}`);
    out(`  host key ${netns.access.hostKey}; login key ${netns.access.privateKeyFile} (mode 0600)`);
    for (const v of netns.redundant ? netns.vms() : []) out(`  redundant VM ${v.name} (${v.redundantState}): netns ${v.namespace}, SSH root@${v.access.sshHost}:3922, host key ${v.access.hostKey}`);
  }
  out(`state:            ${options.state ?? "in memory (lost on exit; use --state FILE to keep it)"}`);
  if (options.credentialsFile) out(`credentials:      ${options.credentialsFile} (mode 0600)`);
  out("press Ctrl+C to stop");
  const why = await waitForStop(io.stop);
  await cloud.close();
  await netns?.close();
  out(`local-cloud stopped (${why})`);
  return 0;
}

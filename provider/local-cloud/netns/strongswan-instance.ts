/**
 * One independent strongSwan instance inside a lab namespace. Every command runs through
 * `ip netns exec <ns> sh -c 'mount -n --bind …; exec "$@"'`, which gives it a private /run (pid files, stroke and
 * vici sockets) and the instance's own /etc/{ipsec.conf,ipsec.secrets,ipsec.d,strongswan.conf,strongswan.d,swanctl}
 * (strongswan-netns.md §4). The top-level files are constant includes; per-connection files go into the
 * bind-mounted directories, because a bind-mounted file pins its inode.
 */
import { spawn } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { run, waitFor, type RunOptions, type RunResult } from "./exec";
import { parseStrokeStatus, parseSwanctlSas, type IkeSaStatus } from "../../push/sa-status";

export type InstanceMode = "stroke" | "swanctl";
export type DataPlane = "libipsec" | "kernel";

const BIND_ETC = ["ipsec.conf", "ipsec.secrets", "ipsec.d", "strongswan.conf", "strongswan.d", "swanctl"];
const MOUNT_SCRIPT = `d=$1; shift
mount -n --bind "$d/run" /run || exit 97
for f in ${BIND_ETC.join(" ")}; do mount -n --bind "$d/etc/$f" "/etc/$f" || exit 97; done
exec "$@"`;

/**
 * Explicit plugin list (load_modular = no): libcharon-extra-plugins would otherwise load ~25 more plugins into
 * every charon. kernel-libipsec must come before kernel-netlink: the first kernel-ipsec backend registered wins.
 */
function pluginList(dataplane: DataPlane): string {
  const kernel = dataplane === "libipsec" ? "kernel-libipsec kernel-netlink" : "kernel-netlink";
  return `random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 pkcs8 x509 pubkey revocation constraints ${kernel} socket-default updown stroke vici`;
}

export interface InstanceOptions {
  /** Short retransmit timers make refusals and recoveries take seconds instead of minutes. */
  retransmitTimeout?: number;
}

export class Instance {
  readonly logPath: string;

  constructor(
    readonly name: string,
    readonly ns: string,
    readonly dir: string,
    readonly mode: InstanceMode,
    readonly dataplane: DataPlane,
    private readonly options: InstanceOptions = {},
  ) {
    this.logPath = join(dir, "charon.log");
  }

  /** Creates the instance tree and its constant top-level files. */
  prepare(): void {
    for (const d of ["run", "etc/ipsec.d", "etc/strongswan.d", "etc/swanctl/conf.d"]) mkdirSync(join(this.dir, d), { recursive: true });
    chmodSync(join(this.dir, "run"), 0o700);
    const conf = `# lab instance ${this.name} (${this.ns})
charon {
  load_modular = no
  load = ${pluginList(this.dataplane)}
  # Not fewer: stroke, vici, kernel-netlink, socket-default and libipsec each park a thread in a blocking read;
  # with 8 threads charon started but never answered stroke (thread starvation, seen in this lab).
  threads = 16
  retransmit_tries = 3
  retransmit_timeout = ${this.options.retransmitTimeout ?? 1.0}
  retransmit_base = 1.5
  filelog {
    lab {
      path = ${this.logPath}
      time_format = %H:%M:%S
      time_add_ms = yes
      flush_line = yes
      default = 1
      ike = 2
      cfg = 2
      knl = 1
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
swanctl {
  load = pem pkcs1 pkcs8 x509 revocation constraints pubkey openssl random
}
# As Debian's stock strongswan.conf: drop-ins (e.g. a pushed charon.start-scripts hook) apply.
include strongswan.d/*.conf
`;
    writeFileSync(join(this.dir, "etc/strongswan.conf"), conf);
    writeFileSync(join(this.dir, "etc/ipsec.conf"), "config setup\n\ninclude /etc/ipsec.d/*.conf\n");
    writeFileSync(join(this.dir, "etc/ipsec.secrets"), "include /etc/ipsec.d/*.secrets\n", { mode: 0o600 });
    writeFileSync(join(this.dir, "etc/swanctl/swanctl.conf"), "include conf.d/*.conf\n");
  }

  /** argv that runs `argv` inside this instance's namespace and private mounts. */
  wrap(argv: string[]): string[] {
    return ["ip", "netns", "exec", this.ns, "sh", "-c", MOUNT_SCRIPT, "ix", this.dir, ...argv];
  }

  /** Runs a command in the instance (`ipsec …`, `swanctl …`). */
  exec(argv: string[], options?: RunOptions): Promise<RunResult> {
    return run(this.wrap(argv), options);
  }

  /** Runs a shell command line, as a renderer's `commands` entry is written (it holds no secret). */
  sh(command: string, options?: RunOptions): Promise<RunResult> {
    return this.exec(["sh", "-c", command], options);
  }

  /** Maps a gateway path (`/etc/ipsec.d/x.conf`) to its file in this instance; only bind-mounted paths exist. */
  hostPath(gatewayPath: string): string {
    const m = /^\/etc\/((?:ipsec\.d|swanctl|strongswan\.d)\/.+)$/.exec(gatewayPath);
    if (!m || m[1]!.split("/").includes("..")) throw new Error(`${gatewayPath} is not under a per-instance directory (/etc/ipsec.d, /etc/swanctl, /etc/strongswan.d)`);
    return join(this.dir, "etc", m[1]!);
  }

  /** Writes a rendered file into the instance with its mode (secrets 0600: never on a command line). */
  writeFile(gatewayPath: string, content: string, mode = 0o644): void {
    const path = this.hostPath(gatewayPath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, { mode });
    chmodSync(path, mode);
  }

  removeFile(gatewayPath: string): void {
    rmSync(this.hostPath(gatewayPath), { force: true });
  }

  hasFile(gatewayPath: string): boolean {
    return existsSync(this.hostPath(gatewayPath));
  }

  pidFile(which: "charon" | "starter"): string {
    return join(this.dir, "run", which === "charon" ? "charon.pid" : "starter.charon.pid");
  }

  pid(which: "charon" | "starter" = "charon"): number | undefined {
    try {
      const pid = Number(readFileSync(this.pidFile(which), "utf8").trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** Starts the daemon: `ipsec start` (starter + charon) in stroke mode, a bare charon in swanctl mode. */
  async start(timeoutMs = 10_000): Promise<void> {
    const out = openSync(join(this.dir, "daemon.out"), "a");
    try {
      // The daemon inherits these descriptors: files, never pipes, or a reader would wait for EOF forever (§4.4).
      const argv = this.wrap(this.mode === "stroke" ? ["ipsec", "start"] : ["/usr/lib/ipsec/charon"]);
      const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ["ignore", out, out] });
      if (this.mode === "stroke") {
        const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
        if (code !== 0) throw new Error(`${this.name}: \`ipsec start\` exited ${code}: ${readFileSync(join(this.dir, "daemon.out"), "utf8").slice(-500)}`);
      } else {
        // charon stays in the foreground of its own session; do not let it keep this process alive.
        child.unref();
      }
    } finally {
      closeSync(out);
    }
    const socket = join(this.dir, "run", this.mode === "stroke" ? "charon.ctl" : "charon.vici");
    await waitFor(`${this.name}: charon socket ${socket}`, () => existsSync(socket) && this.pid() !== undefined, { timeoutMs }, () =>
      existsSync(join(this.dir, "daemon.out")) ? readFileSync(join(this.dir, "daemon.out"), "utf8").slice(-800) : "(no output)",
    );
    // A daemon that could not bind UDP 500/4500 (another charon still in this namespace) would silently do nothing.
    if (this.logSince().includes("could not create any sockets")) throw new Error(`${this.name}: charon could not bind its IKE sockets in ${this.ns} (is another charon running there?)`);
    if (this.mode === "stroke") {
      // starter loads the connections after charon is up; `ipsec status` answering means stroke is serving.
      await waitFor(`${this.name}: stroke answers`, async () => (await this.exec(["ipsec", "status"], { allowFail: true, timeoutMs: 2_000 })).code === 0, { timeoutMs });
    } else {
      await this.exec(["swanctl", "--load-all"]);
    }
  }

  /** Kills starter and charon without any IKE DELETE (a crash or a reboot, from the peer's point of view). */
  async kill(): Promise<void> {
    const pids = [this.pid("starter"), this.pid("charon")].filter((p): p is number => p !== undefined);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    await waitFor(`${this.name}: daemons gone`, () => pids.every((p) => !existsSync(`/proc/${p}`)), { timeoutMs: 5_000 });
    rmSync(this.pidFile("charon"), { force: true });
    rmSync(this.pidFile("starter"), { force: true });
  }

  /** Current SAs, parsed from `ipsec statusall` or `swanctl --list-sas`. */
  async sas(): Promise<IkeSaStatus[]> {
    if (this.mode === "stroke") return parseStrokeStatus((await this.exec(["ipsec", "statusall"])).stdout);
    return parseSwanctlSas((await this.exec(["swanctl", "--list-sas"])).stdout);
  }

  /** Raw status text, for failure messages. */
  async statusText(): Promise<string> {
    const argv = this.mode === "stroke" ? ["ipsec", "statusall"] : ["swanctl", "--list-sas"];
    return (await this.exec(argv, { allowFail: true })).stdout;
  }

  /** Current end of the log; pass it to logSince/waitForLog to look only at what happens afterwards. */
  logMark(): number {
    return existsSync(this.logPath) ? statSync(this.logPath).size : 0;
  }

  logSince(mark = 0): string {
    if (!existsSync(this.logPath)) return "";
    return readFileSync(this.logPath).subarray(mark).toString("utf8");
  }

  /** Waits until a log line after `since` matches `pattern`; returns that line. */
  async waitForLog(pattern: RegExp | string, options: { since?: number; timeoutMs: number }): Promise<string> {
    const test = (l: string): boolean => (typeof pattern === "string" ? l.includes(pattern) : pattern.test(l));
    return waitFor(
      `${this.name} log line ${String(pattern)}`,
      () => this.logSince(options.since).split("\n").find(test),
      { timeoutMs: options.timeoutMs, intervalMs: 30 },
      () => this.logSince(options.since).split("\n").slice(-25).join("\n"),
    );
  }
}

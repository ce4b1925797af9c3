/**
 * A real gateway for the push tests: a network namespace of our own holding an OpenSSH server (own config, host
 * key and authorized_keys), iptables (nft) and a strongSwan starter+charon (kernel-libipsec, strongswan-netns.md
 * §1/§4). sshd and charon see a private /run and the instance's /etc/ipsec.* through bind mounts, so what a push
 * does over SSH lands in this instance only. The test process reaches sshd's 127.0.0.1:3922 through a byte stream
 * opened inside the namespace (a node bridge run by `ip netns exec`): no link to the root namespace exists.
 */
import { sshdConfigText } from "../../../provider/local-cloud/netns/vr-sshd";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Duplex } from "node:stream";
import { connectSshGateway, type SshGatewayHost, type SshGatewayOptions } from "../../../provider/push";

const BIND_ETC = ["ipsec.conf", "ipsec.secrets", "ipsec.d", "strongswan.conf", "strongswan.d", "swanctl"];
const MOUNTS = `d=$1; shift
mount -n --bind "$d/run" /run || exit 97
for f in ${BIND_ETC.join(" ")}; do mount -n --bind "$d/etc/$f" "/etc/$f" || exit 97; done
# bash sources root's ~/.bashrc even for remote commands; this machine's costs ~100 ms per SSH exec.
if [ -e /root/.bashrc ]; then mount -n --bind "$d/bashrc" /root/.bashrc || exit 97; fi
exec "$@"`;
const PLUGINS = "random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-libipsec kernel-netlink socket-default updown stroke vici";
const BRIDGE = "const s=require('net').connect(3922,'127.0.0.1');process.stdin.pipe(s);s.pipe(process.stdout);s.on('close',()=>process.exit(0));s.on('error',()=>process.exit(1))";

export function sh(argv: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", input, timeout: 20_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class GatewayLab {
  readonly ns: string;
  readonly dir: string;
  sshdPid = 0;
  clientKey = "";
  hostKeyPin = "";
  hostKeyLine = "";
  private bridges = new Set<number>();

  private constructor(tag: string) {
    const id = `${tag}${randomBytes(3).toString("hex")}`;
    this.ns = `s2spush-${id}`;
    this.dir = join("/tmp", `s2spush-${id}`);
  }

  /** Namespace + sshd + charon, with a CloudStack-owned connection and INPUT rules already there. */
  static async start(tag = "t"): Promise<GatewayLab> {
    const lab = new GatewayLab(tag);
    try {
      await lab.build();
    } catch (e) {
      lab.destroy();
      throw e;
    }
    return lab;
  }

  private must(argv: string[], input?: string): string {
    const r = sh(argv, input);
    if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  private async build(): Promise<void> {
    const d = this.dir;
    for (const sub of ["run/sshd", "etc/ipsec.d", "etc/strongswan.d", "etc/swanctl/conf.d", "ssh"]) mkdirSync(join(d, sub), { recursive: true });
    chmodSync(join(d, "run"), 0o700);
    chmodSync(join(d, "run/sshd"), 0o755);
    writeFileSync(join(d, "etc/strongswan.conf"), `charon {\n  load_modular = no\n  load = ${PLUGINS}\n  threads = 16\n  filelog {\n    lab {\n      path = ${d}/charon.log\n      default = 1\n      flush_line = yes\n    }\n  }\n  syslog {\n    daemon {\n      default = -1\n    }\n  }\n}\n`);
    writeFileSync(join(d, "bashrc"), "");
    writeFileSync(join(d, "etc/ipsec.conf"), "config setup\n\ninclude /etc/ipsec.d/*.conf\n");
    writeFileSync(join(d, "etc/ipsec.secrets"), "include /etc/ipsec.d/*.secrets\n", { mode: 0o600 });
    writeFileSync(join(d, "etc/swanctl/swanctl.conf"), "include conf.d/*.conf\n");
    // A connection CloudStack owns: the push must never touch it.
    writeFileSync(join(d, "etc/ipsec.d/ipsec.vpn-203.0.113.99.conf"), "conn vpn-203.0.113.99\n left=198.51.100.10\n leftsubnet=10.1.0.0/16\n right=203.0.113.99\n rightsubnet=172.16.0.0/20\n authby=secret\n keyexchange=ikev2\n auto=add\n");
    writeFileSync(join(d, "etc/ipsec.d/ipsec.vpn-203.0.113.99.secrets"), '198.51.100.10 203.0.113.99 : PSK "cloudstack-owned-key-0123456789"\n', { mode: 0o400 });
    this.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(d, "ssh/host_ed25519")]);
    this.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(d, "ssh/client")]);
    this.clientKey = readFileSync(join(d, "ssh/client"), "utf8");
    writeFileSync(join(d, "ssh/authorized_keys"), readFileSync(join(d, "ssh/client.pub")), { mode: 0o600 });
    this.hostKeyPin = this.must(["ssh-keygen", "-l", "-E", "sha256", "-f", join(d, "ssh/host_ed25519.pub")]).split(" ")[1]!;
    this.hostKeyLine = `[127.0.0.1]:3922 ${readFileSync(join(d, "ssh/host_ed25519.pub"), "utf8").trim()}`;
    // Forwarding on: the jump-host tests use this sshd as their first hop.
    writeFileSync(join(d, "ssh/sshd_config"), sshdConfigText({ listenAddress: "127.0.0.1", hostKeyFile: `${d}/ssh/host_ed25519`, authorizedKeysFile: `${d}/ssh/authorized_keys`, allowTcpForwarding: true }));
    this.must(["ip", "netns", "add", this.ns]);
    this.must(["ip", "-n", this.ns, "link", "set", "lo", "up"]);
    // No dummy driver in this kernel: a veth pair with both ends inside the namespace stands in for the public NIC.
    this.must(["ip", "-n", this.ns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"]);
    this.must(["ip", "-n", this.ns, "link", "set", "eth1p", "up"]);
    this.must(["ip", "-n", this.ns, "addr", "add", "198.51.100.10/24", "dev", "eth1"]);
    this.must(["ip", "-n", this.ns, "link", "set", "eth1", "up"]);
    // CloudStack's own INPUT rules (they must survive every push and restore unchanged).
    this.must(["ip", "netns", "exec", this.ns, "iptables-restore"], "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -s 203.0.113.99/32 -d 198.51.100.10/32 -i eth1 -p udp -m udp --dport 500 -j ACCEPT\nCOMMIT\n*nat\n-A POSTROUTING -o eth1 -m mark --mark 0x525 -j ACCEPT\nCOMMIT\n");
    const sshd = spawn("ip", ["netns", "exec", this.ns, "sh", "-c", MOUNTS, "m", d, "/usr/sbin/sshd", "-D", "-e", "-f", join(d, "ssh/sshd_config")], { detached: true, stdio: ["ignore", "ignore", "ignore"] });
    sshd.unref();
    this.sshdPid = sshd.pid!;
    await until("sshd listening on 127.0.0.1:3922", () => sh(["ip", "netns", "exec", this.ns, "ss", "-Hltn", "sport = :3922"]).stdout.includes("127.0.0.1:3922"));
    this.must(this.wrap(["ipsec", "start"]));
    await until("charon answering stroke", () => sh(this.wrap(["ipsec", "status"])).code === 0 && sh(this.wrap(["ipsec", "statusall"])).stdout.includes("vpn-203.0.113.99"));
  }

  wrap(argv: string[]): string[] {
    return ["ip", "netns", "exec", this.ns, "sh", "-c", MOUNTS, "m", this.dir, ...argv];
  }

  /** Runs a command in the gateway's namespace and mounts (as the tests' observer, not through SSH). */
  run(argv: string[], input?: string): string {
    return this.must(this.wrap(argv), input);
  }

  /** A byte stream to sshd inside the namespace. */
  openStream = async (): Promise<Duplex> => {
    const child = spawn("ip", ["netns", "exec", this.ns, process.execPath, "-e", BRIDGE], { stdio: ["pipe", "pipe", "ignore"] });
    this.bridges.add(child.pid!);
    child.on("exit", () => this.bridges.delete(child.pid!));
    child.stdin.on("error", () => undefined); // the bridge may be gone already when ssh2 writes its last bytes
    const stream = new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        child.stdin.write(chunk, () => cb());
      },
      final(cb) {
        child.stdin.end();
        cb();
      },
      destroy(err, cb) {
        child.kill("SIGKILL");
        cb(err);
      },
    });
    child.stdout.on("data", (d: Buffer) => stream.push(d));
    child.stdout.on("end", () => stream.push(null));
    return stream;
  };

  options(overrides: Partial<SshGatewayOptions> = {}): SshGatewayOptions {
    return { host: "127.0.0.1", privateKey: this.clientKey, hostKey: this.hostKeyPin, openStream: this.openStream, connectTimeoutMs: 8_000, ...overrides };
  }

  connect(overrides: Partial<SshGatewayOptions> = {}): Promise<SshGatewayHost> {
    return connectSshGateway(this.options(overrides));
  }

  /** sshd's per-connection processes (children of the listener): killing them drops live SSH connections. */
  sessionPids(): number[] {
    return sh(["ip", "netns", "pids", this.ns])
      .stdout.split("\n")
      .map(Number)
      .filter((p) => p > 0 && p !== this.sshdPid && (() => {
        try {
          return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "sshd";
        } catch {
          return false;
        }
      })());
  }

  /** Everything the push could have touched, for before/after equality. */
  observe(): { files: Record<string, string>; iptables: string; loaded: string[] } {
    const files: Record<string, string> = {};
    for (const name of sh(["ls", "-A", join(this.dir, "etc/ipsec.d")]).stdout.split("\n").filter(Boolean).sort()) {
      const p = join(this.dir, "etc/ipsec.d", name);
      const mode = (sh(["stat", "-c", "%a", p]).stdout.trim());
      files[name] = `${mode} ${readFileSync(p, "utf8")}`;
    }
    const iptables = this.run(["iptables-save"]).split("\n").filter((l) => !l.startsWith("#")).map((l) => l.replace(/\[\d+:\d+\]/, "")).join("\n");
    const loaded = this.run(["ipsec", "statusall"]).split("\n").filter((l) => /^\s*\S+:\s+(\S+\.\.\.|child:|remote:)/.test(l)).map((l) => l.trim()).sort();
    return { files, iptables, loaded };
  }

  destroy(): void {
    const pids = sh(["ip", "netns", "pids", this.ns]).stdout.split("\n").map(Number).filter((p) => p > 0);
    for (const p of [...pids, ...this.bridges, this.sshdPid].filter((p) => p > 0)) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    const deadline = Date.now() + 5_000;
    while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < deadline) sh(["sleep", "0.02"]);
    sh(["ip", "netns", "del", this.ns]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * libreswan's pluto, unpacked (never installed: Debian's libreswan conflicts with strongSwan) into a cache under the
 * repository's ignored `.s2s/` and run inside a lab namespace with private run/NSS directories. pluto looks for
 * its helpers under /usr/libexec/ipsec, so that directory is bind-mounted from the unpacked tree inside the
 * namespace's private mount namespace only (`ip netns exec` gives each command its own).
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, chmodSync } from "node:fs";
import { join, resolve } from "node:path";
import { waitFor } from "./exec";

const CACHE = resolve(__dirname, "../../../.s2s/cache/libreswan");
const PACKAGES = ["libreswan", "libldns3", "libnss3-tools", "libevent-pthreads-2.1-7"];

/** The unpacked tree (downloaded once with `apt-get download`, unpacked with `dpkg -x`). */
export function libreswanRoot(): string {
  const root = join(CACHE, "root");
  if (existsSync(join(root, "usr/libexec/ipsec/pluto"))) return root;
  const debs = join(CACHE, "debs");
  mkdirSync(debs, { recursive: true });
  const dl = spawnSync("apt-get", ["download", ...PACKAGES], { cwd: debs, encoding: "utf8", timeout: 180_000 });
  if (dl.status !== 0) throw new Error(`apt-get download ${PACKAGES.join(" ")} failed (needs the Debian mirror): ${dl.stderr.slice(-500)}`);
  for (const deb of readdirSync(debs).filter((f) => f.endsWith(".deb"))) {
    const x = spawnSync("dpkg", ["-x", join(debs, deb), root], { encoding: "utf8" });
    if (x.status !== 0) throw new Error(`dpkg -x ${deb} failed: ${x.stderr}`);
  }
  return root;
}

const LAUNCH = `root=$1; dir=$2; shift 2
mount -n --bind "$root/usr/libexec" /usr/libexec || exit 97
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu"
exec "$root/usr/libexec/ipsec/pluto" --nofork --config "$dir/ipsec.conf" --secretsfile "$dir/ipsec.secrets" \
  --rundir "$dir/run" --nssdir "$dir/nss" --ipsecdir "$dir/ipsec.d" --logfile "$dir/pluto.log"`;

export class Pluto {
  private pid?: number;
  readonly log: string;

  constructor(readonly ns: string, readonly dir: string, private readonly root: string) {
    this.log = join(dir, "pluto.log");
  }

  /** Writes the top-level files the way Debian ships them (`include /etc/ipsec.d/*`), plus the given ipsec.d files. */
  prepare(files: { name: string; content: string; secret: boolean }[]): void {
    for (const d of ["run", "nss", "ipsec.d"]) mkdirSync(join(this.dir, d), { recursive: true, mode: 0o700 });
    writeFileSync(join(this.dir, "ipsec.conf"), `config setup\n\ninclude ${this.dir}/ipsec.d/*.conf\n`);
    writeFileSync(join(this.dir, "ipsec.secrets"), `include ${this.dir}/ipsec.d/*.secrets\n`, { mode: 0o600 });
    for (const f of files) {
      const path = join(this.dir, "ipsec.d", f.name);
      writeFileSync(path, f.content, { mode: f.secret ? 0o600 : 0o644 });
      chmodSync(path, f.secret ? 0o600 : 0o644);
    }
    const nss = spawnSync(join(this.root, "usr/bin/certutil"), ["-N", "-d", `sql:${join(this.dir, "nss")}`, "--empty-password"], {
      encoding: "utf8",
      env: { ...process.env, LD_LIBRARY_PATH: join(this.root, "usr/lib/x86_64-linux-gnu") },
    });
    if (nss.status !== 0) throw new Error(`certutil -N failed: ${nss.stderr}`);
  }

  async start(): Promise<void> {
    const out = openSync(join(this.dir, "pluto.out"), "a");
    try {
      const child = spawn("ip", ["netns", "exec", this.ns, "sh", "-c", LAUNCH, "pluto", this.root, this.dir], { detached: true, stdio: ["ignore", out, out] });
      child.unref();
      this.pid = child.pid;
    } finally {
      closeSync(out);
    }
    await waitFor("pluto listening", () => this.logText().includes("listening for IKE messages"), { timeoutMs: 10_000 }, () => this.logText().slice(-1500) + readFileSync(join(this.dir, "pluto.out"), "utf8").slice(-500));
  }

  logText(): string {
    return existsSync(this.log) ? readFileSync(this.log, "utf8") : "";
  }

  /** Kills pluto (its process group: the `sh` exec'd into it) and waits until it is gone. */
  async stop(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
    await waitFor("pluto gone", () => !existsSync(`/proc/${pid}`), { timeoutMs: 5_000 });
    this.pid = undefined;
  }
}

/**
 * The VR's OpenSSH server on port 3922 (what CloudStack's management server uses to configure its VRs): its own
 * host key and one login key, both written with mode 0600 where the caller asks (beside the credentials file), and
 * a config of our own. It runs inside the router's strongSwan mounts, so `ipsec …` in an SSH session talks to the
 * router's charon and /etc/ipsec.d is the router's.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSync, waitFor } from "./exec";
import type { Instance } from "./strongswan-instance";

export interface SshdKeys {
  hostKeyFile: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it: the pin for `connectSshGateway`'s `hostKey`. */
  hostKeyFingerprint: string;
  loginKeyFile: string;
}

function keygen(file: string): void {
  for (const f of [file, `${file}.pub`]) rmSync(f, { force: true });
  const r = runSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "cloudstack-s2s local-cloud VR", "-f", file]);
  if (r.code !== 0) throw new Error(`netns VR: ssh-keygen for ${file} exited ${r.code}: ${r.stderr.trim()}`);
  chmodSync(file, 0o600);
}

/**
 * Fresh keys at `<base>.host_ed25519` and `<base>.login_ed25519` (private halves 0600). `keepLogin`: only a new
 * host key (a re-created router: CloudStack injects the same management key into every router it makes).
 */
export function createSshdKeys(base: string, options: { keepLogin?: boolean; loginKeyFile?: string } = {}): SshdKeys {
  const hostKeyFile = `${base}.host_ed25519`;
  // `loginKeyFile`: another VM's login key (the second VM of a redundant pair gets the same injected key).
  const loginKeyFile = options.loginKeyFile ?? `${base}.login_ed25519`;
  keygen(hostKeyFile);
  if (options.loginKeyFile === undefined && (!options.keepLogin || !existsSync(loginKeyFile))) keygen(loginKeyFile);
  const fp = runSync(["ssh-keygen", "-l", "-E", "sha256", "-f", `${hostKeyFile}.pub`]).stdout.split(" ")[1];
  if (!fp?.startsWith("SHA256:")) throw new Error(`netns VR: cannot read the fingerprint of ${hostKeyFile}.pub`);
  return { hostKeyFile, hostKeyFingerprint: fp, loginKeyFile };
}

export interface SshdConfigOptions {
  listenAddress: string;
  hostKeyFile: string;
  authorizedKeysFile: string;
  /** Only test labs that act as a jump host need it; the VR forwards nothing. @default false */
  allowTcpForwarding?: boolean;
}

/** sshd for a gateway the push reaches: key-only root login on port 3922, exec and SFTP, nothing else. */
export function sshdConfigText(o: SshdConfigOptions): string {
  return [
    "Port 3922",
    `ListenAddress ${o.listenAddress}`,
    `HostKey ${o.hostKeyFile}`,
    `AuthorizedKeysFile ${o.authorizedKeysFile}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "PidFile none",
    // The push needs exec and SFTP only: no forwarding of any kind through the VR.
    `AllowTcpForwarding ${o.allowTcpForwarding ? "yes" : "no"}`,
    "AllowStreamLocalForwarding no",
    "X11Forwarding no",
    "PermitTunnel no",
    "MaxSessions 50",
    "MaxStartups 50",
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    "",
  ].join("\n");
}

/** Starts sshd in the router's namespace and mounts; resolves with its PID once it listens on `address:3922`. */
export async function startSshd(vr: Instance, dir: string, keys: SshdKeys, address: string): Promise<number> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync(join(vr.dir, "run", "sshd"), { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${keys.loginKeyFile}.pub`), { mode: 0o600 });
  const config = join(dir, "sshd_config");
  writeFileSync(config, sshdConfigText({ listenAddress: address, hostKeyFile: keys.hostKeyFile, authorizedKeysFile: join(dir, "authorized_keys") }), { mode: 0o600 });
  const log = join(dir, "sshd.log");
  // bash sources root's ~/.bashrc even for a remote command; this machine's (pyenv, cargo…) costs ~100 ms per SSH
  // exec, where a VR's is Debian's stock one. Inside sshd's private mount namespace only, it is an empty file.
  const emptyRc = join(dir, "bashrc");
  writeFileSync(emptyRc, "", { mode: 0o644 });
  const shadowRc = existsSync("/root/.bashrc") ? `mount -n --bind "$0" /root/.bashrc || exit 97; ` : "";
  const argv = vr.wrap(["sh", "-c", `${shadowRc}exec "$@"`, emptyRc, "/usr/sbin/sshd", "-D", "-e", "-f", config, "-E", log]);
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: "ignore" });
  child.unref();
  const pid = child.pid!;
  await waitFor(
    `netns VR: sshd listening on ${address}:3922`,
    () => runSync(["ip", "netns", "exec", vr.ns, "ss", "-Hltn", "sport = :3922"]).stdout.includes(`${address}:3922`),
    { timeoutMs: 10_000, intervalMs: 20 },
    () => (existsSync(log) ? readFileSync(log, "utf8").slice(-500) : "(no sshd log)"),
  );
  return pid;
}

/**
 * SshGatewayHost against a real sshd in a namespace of our own: host-key pinning (fingerprint and known_hosts
 * forms; a wrong pin refuses before authentication), the jump-host path (forwardOut through a first connection),
 * SFTP files created 0600 from the first byte, command timeouts, and the remote flock serialising two connections.
 */
import { describeE2e } from "../e2e/lab/suite";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostKeyMismatchError, type SshGatewayHost } from "../../provider/push";
import { acquireRemoteLock } from "../../provider/push/lock";
import { GatewayLab } from "./helpers/gateway-lab";

let lab: GatewayLab;
const open: SshGatewayHost[] = [];
const connect = async (o: Parameters<GatewayLab["connect"]>[0] = {}) => {
  const h = await lab.connect(o);
  open.push(h);
  return h;
};

beforeAll(async () => {
  lab = await GatewayLab.start("h");
}, 30_000);

afterAll(async () => {
  for (const h of open) await h.close();
  lab?.destroy();
});

describeE2e("SshGatewayHost (real sshd)", { timeout: 60_000 }, () => {
  it("connects with a pinned SHA256 fingerprint and with a known_hosts line", async () => {
    expect((await (await connect()).exec("echo ok")).stdout).toBe("ok\n");
    expect((await (await connect({ hostKey: lab.hostKeyLine })).exec("echo ok")).stdout).toBe("ok\n");
  });

  it("fails when the presented host key differs from the pin: shows both fingerprints and how to update the pin", async () => {
    const other = execFileSync("sh", ["-c", `d=$(mktemp -d); ssh-keygen -q -t ed25519 -N '' -f $d/k; ssh-keygen -l -E sha256 -f $d/k.pub | cut -d' ' -f2; rm -r $d`], { encoding: "utf8" }).trim();
    const err = (await lab.connect({ hostKey: other }).catch((e: unknown) => e)) as HostKeyMismatchError;
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err.message).toContain(other);
    expect(err.message).toContain(lab.hostKeyPin);
    expect(err.message).toMatch(/set `hostKey` to SHA256:/);
    expect(err.message).not.toContain("PRIVATE KEY");
  });

  it("fails on a pin that is neither a fingerprint nor a known_hosts line, naming the field", async () => {
    await expect(lab.connect({ hostKey: "md5:aa:bb" })).rejects.toThrow(/`hostKey` "md5:aa:bb" is neither SHA256/);
  });

  it("connects through a jump host (forwardOut), each hop pinned", async () => {
    // The jump is this namespace's sshd too: the second hop is opened by sshd itself, through the first connection.
    const h = await connect({ jump: { host: "127.0.0.1", port: 3922, privateKey: lab.clientKey, hostKey: lab.hostKeyPin } });
    expect(h.identity).toBe("root@127.0.0.1:3922 via root@127.0.0.1:3922");
    expect((await h.exec("echo via-jump")).stdout).toBe("via-jump\n");
    const bad = await lab.connect({ jump: { host: "127.0.0.1", port: 3922, privateKey: lab.clientKey, hostKey: "SHA256:" + "A".repeat(43) } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(HostKeyMismatchError);
    expect((bad as Error).message).toMatch(/`jump\.hostKey`/);
  });

  it("uses an encrypted private key given with its passphrase", async () => {
    const d = mkdtempSync("/tmp/s2spush-key-");
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "correct horse", "-f", join(d, "k")]);
      execFileSync("sh", ["-c", `cat ${join(d, "k.pub")} >> ${lab.dir}/ssh/authorized_keys`]);
      const h = await connect({ privateKey: readFileSync(join(d, "k"), "utf8"), passphrase: "correct horse" });
      expect((await h.exec("echo ok")).stdout).toBe("ok\n");
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it("creates files with their mode from the first byte (0600 secret), renames atomically, lists and removes", async () => {
    const h = await connect();
    await h.writeFile("/etc/ipsec.d/.s2s-tmp-000000000000-s2s-x.secrets", "x : PSK \"k\"\n", { mode: 0o600 });
    expect(await h.stat("/etc/ipsec.d/.s2s-tmp-000000000000-s2s-x.secrets")).toEqual({ mode: 0o600, size: 12 });
    await expect(h.writeFile("/etc/ipsec.d/.s2s-tmp-000000000000-s2s-x.secrets", "again", { mode: 0o600 })).rejects.toThrow(/create/);
    await h.writeFile("/etc/ipsec.d/s2s-x.secrets", "old", { mode: 0o600 });
    await h.rename("/etc/ipsec.d/.s2s-tmp-000000000000-s2s-x.secrets", "/etc/ipsec.d/s2s-x.secrets");
    expect((await h.readFile("/etc/ipsec.d/s2s-x.secrets"))!.toString()).toBe("x : PSK \"k\"\n");
    expect(await h.list("/etc/ipsec.d")).toContain("s2s-x.secrets");
    await h.remove("/etc/ipsec.d/s2s-x.secrets");
    await h.remove("/etc/ipsec.d/s2s-x.secrets"); // missing is fine
    expect(await h.readFile("/etc/ipsec.d/s2s-x.secrets")).toBeUndefined();
  });

  it("fails a command that outlives its timeout, naming the command and the timeout", async () => {
    const h = await connect();
    await expect(h.exec("sleep 5", { timeoutMs: 300 })).rejects.toThrow(/`sleep 5` did not finish within 300 ms/);
  });

  it("serialises two connections through the remote flock; a dropped holder releases it", async () => {
    const a = await connect();
    const b = await connect();
    const held = await acquireRemoteLock(a, 5_000);
    await expect(acquireRemoteLock(b, 1_000)).rejects.toThrow(/before it printed S2S-LOCK-HELD|did not print/);
    await held.release();
    const again = await acquireRemoteLock(b, 5_000);
    await b.close(); // the holder's session ends with the connection: the lock must not stay stuck
    const c = await connect();
    await (await acquireRemoteLock(c, 5_000)).release();
    void again;
  });
});

/**
 * `cloudstack-s2s local-cloud --vr netns` end to end, in-process: it writes a 0600 credentials file with the VR's
 * SSH access (control address, port 3922, host-key pin, 0600 login key beside it), the push connects with exactly
 * that and reaches the VR's charon, the control link carries nothing but SSH, and stopping removes every
 * namespace and the control link.
 */
import { createConnection } from "node:net";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runLocalCloud } from "../../provider/cli/local-cloud";
import { connectSshGateway } from "../../provider/push";
import { waitFor } from "./lab/exec";
import { listNamespaces } from "./lab/cleanup";
import { describeE2e } from "./lab/suite";

/** "open", "refused" or "silent" (dropped) for a TCP connect within 1.5 s. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    const done = (v: string) => (s.destroy(), resolve(v));
    s.setTimeout(1_500, () => done("silent"));
    s.on("connect", () => done("open"));
    s.on("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED" ? "refused" : e.code ?? "error"));
  });
}

describeE2e("local-cloud --vr netns (CLI)", () => {
  it("writes the VR's SSH access into a 0600 credentials file; the push connects with it; SSH only on the control link; stop removes everything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s2s-cli-netns-"));
    const credentialsFile = join(dir, "credentials.json");
    const stop = new AbortController();
    const lines: string[] = [];
    const exit = runLocalCloud(["--port", "0", "--variant", "dynamic-peer", "--vr", "netns", "--credentials-file", credentialsFile], { stop: stop.signal, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
    try {
      await waitFor("the credentials file", () => existsSync(credentialsFile), { timeoutMs: 20_000 }, () => lines.join("\n"));
      const creds = JSON.parse(readFileSync(credentialsFile, "utf8")) as { url: string; vr: { sshHost: string; sshPort: number; hostKey: string; privateKeyFile: string; publicIp: string; publicInterface: string } };
      expect(creds.vr).toMatchObject({ sshPort: 3922, publicIp: "198.51.100.10", publicInterface: "eth1" });
      expect(creds.vr.sshHost).toMatch(/^169\.254\.\d+\.\d+$/);
      expect(creds.vr.hostKey).toMatch(/^SHA256:/);
      expect(creds.vr.privateKeyFile.startsWith(dir)).toBe(true);
      for (const f of [credentialsFile, creds.vr.privateKeyFile, creds.vr.privateKeyFile.replace(/login_ed25519$/, "host_ed25519")]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
      // the push's SSH layer, configured from the file alone, reaches the VR's charon
      const host = await connectSshGateway({ host: creds.vr.sshHost, port: creds.vr.sshPort, privateKey: readFileSync(creds.vr.privateKeyFile), hostKey: creds.vr.hostKey });
      const status = await host.exec("ipsec statusall");
      await host.close();
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/Status of IKE charon daemon/);
      // the control link carries SSH only: another port on the VR's control address gets no answer at all
      expect(await probe(creds.vr.sshHost, 3922)).toBe("open");
      expect(await probe(creds.vr.sshHost, 22)).toBe("silent");
    } finally {
      stop.abort();
    }
    expect(await exit).toBe(0);
    const ns = /netns (s2s[0-9a-z]+)-vr/.exec(lines.join("\n"))?.[1];
    expect(ns, lines.join("\n")).toBeDefined();
    expect(listNamespaces().filter((n) => n.startsWith(`${ns}-`))).toEqual([]);
    const link = /control link (s2sc[0-9a-z]+)/.exec(lines.join("\n"))?.[1];
    await waitFor("the control link gone", () => !readFileSync("/proc/net/dev", "utf8").includes(`${link}:`), { timeoutMs: 10_000 });
  });

  it("--redundant writes both VMs' access under `vrs` (own control address and host key, the same login key); each answers SSH with its pin; stop removes both", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s2s-cli-netns-"));
    const credentialsFile = join(dir, "credentials.json");
    const stop = new AbortController();
    const lines: string[] = [];
    const exit = runLocalCloud(["--port", "0", "--vr", "netns", "--redundant", "--credentials-file", credentialsFile], { stop: stop.signal, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
    try {
      await waitFor("the credentials file", () => existsSync(credentialsFile), { timeoutMs: 30_000 }, () => lines.join("\n"));
      type Access = { id: string; name: string; sshHost: string; sshPort: number; hostKey: string; privateKeyFile: string; publicIp: string };
      const creds = JSON.parse(readFileSync(credentialsFile, "utf8")) as { vr: Access; vrs: Access[] };
      expect(creds.vrs).toHaveLength(2);
      const [a, b] = creds.vrs as [Access, Access];
      expect(creds.vr).toEqual({ sshHost: a.sshHost, sshPort: 3922, hostKey: a.hostKey, privateKeyFile: a.privateKeyFile, publicIp: a.publicIp, publicInterface: "eth1" });
      expect([a.sshHost === b.sshHost, a.hostKey === b.hostKey, a.id === b.id, a.privateKeyFile === b.privateKeyFile, a.publicIp === b.publicIp]).toEqual([false, false, false, true, true]);
      expect(statSync(b.privateKeyFile.replace(/vr\.login_ed25519$/, "vr2.host_ed25519")).mode & 0o777).toBe(0o600);
      for (const v of [a, b]) {
        const host = await connectSshGateway({ host: v.sshHost, port: v.sshPort, privateKey: readFileSync(v.privateKeyFile), hostKey: v.hostKey });
        const status = await host.exec("ipsec status");
        await host.close();
        // Only the first VM, PRIMARY at start, runs charon.
        expect(status.code === 0, v.name).toBe(v === a);
      }
    } finally {
      stop.abort();
    }
    expect(await exit).toBe(0);
    const ns = /netns (s2s[0-9a-z]+)-vr/.exec(lines.join("\n"))?.[1];
    expect(ns, lines.join("\n")).toBeDefined();
    expect(listNamespaces().filter((n) => n.startsWith(`${ns}-`))).toEqual([]);
  });

  it("refuses --redundant without --vr netns", async () => {
    const lines: string[] = [];
    expect(await runLocalCloud(["--redundant"], { stderr: (l) => lines.push(l) })).toBe(2);
    expect(lines.join("\n")).toContain("`--redundant` needs `--vr netns`");
  });

  it("refuses an unknown --vr value with the usage", async () => {
    const lines: string[] = [];
    expect(await runLocalCloud(["--vr", "kvm"], { stderr: (l) => lines.push(l) })).toBe(2);
    expect(lines.join("\n")).toMatch(/`--vr` kvm is unknown; use memory or netns[\s\S]*--vr memory\|netns/);
  });
});

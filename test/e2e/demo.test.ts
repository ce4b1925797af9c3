/**
 * `npm run demo` end to end, as a user runs it: `node scripts/demo.js` in a child process. As root it must play
 * the whole story (tunnel, ping, address change, allow-list update through the resources, destroy, final table),
 * exit 0 and leave no namespace, daemon or provider host behind. With S2S_DEMO_NOT_ROOT=1 (the documented switch
 * that simulates a user without root) it must say what it needs and print the rendered plan instead.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createConnection } from "node:net";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { PROJECT_ROOT } from "../harness";
// Type-only: keeps the demo's TypeScript (scripts/demo/, outside tsconfig's include) in `tsc --noEmit`.
import type * as LiveDemo from "../../scripts/demo/live-demo";
import { listNamespaces } from "./lab/cleanup";
import { describeE2e } from "./lab/suite";

/** Runs the demo; with `interruptOn`, sends SIGINT (what Ctrl-C delivers) once the output matches it. */
function runDemo(env: Record<string, string>, timeoutMs: number, interruptOn?: RegExp): Promise<{ code: number | null; output: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "scripts", "demo.js")], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let interrupted = false;
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (interruptOn && !interrupted && interruptOn.test(output)) interrupted = child.kill("SIGINT");
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    // SIGTERM runs the demo's own cleanup; the test then still checks that nothing is left.
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => (clearTimeout(timer), resolve({ code, output, ms: Date.now() - t0 })));
  });
}

/** Live (not zombie) processes whose mounts reference the demo's router directory: charon, starter, sshd. */
function liveProcessesOf(prefix: string): string[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") return [];
        return readFileSync(`/proc/${pid}/mountinfo`, "utf8").includes(`/s2s-e2e/${prefix}`) ? [`${pid} ${readFileSync(`/proc/${pid}/comm`, "utf8").trim()}`] : [];
      } catch {
        return [];
      }
    });
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), resolve(false)));
    s.once("error", () => resolve(true));
  });

describeE2e("npm run demo (root): the live demo", () => {
  it("plays the whole story, exits 0 and leaves nothing behind", { timeout: 120_000 }, async () => {
    const { code, output, ms } = await runDemo({ S2S_DEMO_RUN_ID: inject("s2sRunId") }, 100_000);
    console.info(`timing: npm run demo ${ms} ms`);
    expect(code, output).toBe(0);
    // the stage: stock 4.22 API, so the peer is pushed; the providers go through Pulumi's host
    expect(output).toMatch(/local CloudStack 4\.22 API on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/creating VPN gateway.*…\n  ✓ VpnGateway vpc-gateway: CloudStack id [0-9a-f-]{36}, public IP 198\.51\.100\.10/);
    expect(output).toMatch(/pushing the dynamic peer to the virtual router over SSH…\n  ✓ VpnConnection branch: id gateway:\S+, managed by gateway/);
    // the tunnel, and a ping across it both ways
    expect(output).toMatch(/waiting for the tunnel.*…\n  ✓ tunnel established: state Connected, the branch connected from 203\.0\.113\.20/);
    expect(output).toMatch(/pinging across the tunnel: guest 10\.1\.1\.10 ↔ branch LAN 192\.168\.10\.10…\n  ✓ guest → branch LAN [1-3]\/3 replies, branch LAN → guest [1-3]\/3 replies/);
    // the address change: the tunnel returns from the new lease, timed
    expect(output).toMatch(/CPE WAN 203\.0\.113\.20 → 203\.0\.113\.27; waiting for the tunnel to return…\n  ✓ tunnel back in \d+\.\d+ s: the VR's IKE_SA for branch-lyon@example\.com is now from 203\.0\.113\.27/);
    // the allow-list update through the resources, applied on the VR, then used by a lease only it admits
    expect(output).toMatch(/updating the allowed source CIDRs through the resources \(pulumi up\).*…\n  ✓ customer gateway: update; connection: update \(pushed again, in sync: true\)/);
    expect(output).toMatch(/update applied: the VR's firewall admits 203\.0\.113\.64\/27 \(\d+ rules/);
    expect(output).toMatch(/CPE WAN 203\.0\.113\.27 → 203\.0\.113\.70; waiting for the tunnel to return…\n  ✓ tunnel back in \d+\.\d+ s: .* now from 203\.0\.113\.70/);
    // the destroy, checked on the VR, in CloudStack and on the wire
    expect(output).toMatch(/destroying everything \(pulumi destroy.*…\n  ✓ VR: no SA, no file, no firewall rule of the peer left; CloudStack: the VPC has no VPN gateway/);
    expect(output).toContain("tunnel gone: guest → branch LAN 0/1 replies");
    expect(output).toMatch(/✓ nothing left behind: no namespace, control link, charon, sshd or provider host of the demo/);
    // the final table
    expect(output).toMatch(/resource\s+CloudStack id\s+state\s+tunnel\n/);
    expect(output).toMatch(/VpnGateway vpc-gateway\s+[0-9a-f-]{36}\s+created → destroyed\s+—/);
    expect(output).toMatch(/CustomerGateway branch\s+— \(stack only; id gateway:.*\s+managed by gateway → destroyed/);
    const row = /VpnConnection branch\s+— \(pushed to the VR; .*Connected → destroyed\s+established, peer 203\.0\.113\.70, (\d+) B in \/ (\d+) B out/.exec(output);
    expect(row, output).not.toBeNull();
    expect(Number(row![1])).toBeGreaterThan(0);
    expect(Number(row![2])).toBeGreaterThan(0);
    expect(output).toMatch(/✔ demo finished in \d+\.\d+ s\n$/);
    // no secret on the screen
    expect(output).not.toMatch(/PSK "|PRIVATE KEY/);
    // and, seen from outside: namespaces, daemons, provider host all gone
    const prefix = /namespace (s2s[0-9a-z]+)-vr/.exec(output)?.[1];
    expect(prefix, output).toMatch(new RegExp(`^s2s${inject("s2sRunId")}`));
    expect(listNamespaces().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
    expect(liveProcessesOf(prefix!)).toEqual([]);
    const hostPort = Number(/dynamic-provider host on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    expect(await refused(hostPort)).toBe(true);
  });
});

describeE2e("npm run demo (root): Ctrl-C", () => {
  it("on SIGINT mid-demo removes its namespaces, daemons and provider host, and exits 130", { timeout: 60_000 }, async () => {
    const { code, output } = await runDemo({ S2S_DEMO_RUN_ID: inject("s2sRunId") }, 50_000, /pinging across the tunnel/);
    expect(code, output).toBe(130);
    expect(output).toMatch(/interrupted: stopping the provider host.*\ncleaned up \(namespaces s2s[0-9a-z]+-\* removed\)/);
    const prefix = /namespace (s2s[0-9a-z]+)-vr/.exec(output)?.[1];
    expect(prefix, output).toBeDefined();
    expect(listNamespaces().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
    expect(liveProcessesOf(prefix!)).toEqual([]);
    expect(await refused(Number(/dynamic-provider host on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]))).toBe(true);
  });
});

describe("npm run demo without root (S2S_DEMO_NOT_ROOT=1)", () => {
  it("says what the live demo needs and prints the rendered plan for both ends", async () => {
    const { code, output } = await runDemo({ S2S_DEMO_NOT_ROOT: "1" }, 50_000);
    expect(code, output).toBe(0);
    expect(output).toContain("sudo npm run demo");
    expect(output).toMatch(/### 1\. validate every example site\n\n6 site files valid/);
    expect(output).toMatch(/### 2\. the cloud side[\s\S]*right=%any\n rightid=branch-lyon@example\.com/);
    expect(output).toMatch(/### 3\. the branch side[\s\S]*leftid=branch-lyon@example\.com[\s\S]*right=198\.51\.100\.10/);
    expect(output).not.toContain("▸ starting"); // no live demo: nothing was built
    expect(output).not.toContain("sudo scripts/provision.sh"); // this machine has the packages
  });

  it("also names `sudo scripts/provision.sh` when a package is missing (dpkg-query faked on PATH)", async () => {
    const bin = mkdtempSync(join(tmpdir(), "s2s-demo-fake-dpkg-"));
    try {
      // dpkg reports everything installed except conntrack
      writeFileSync(join(bin, "dpkg-query"), '#!/bin/sh\nfor a; do p=$a; done\n[ "$p" = conntrack ] && exit 1\nprintf installed\n', { mode: 0o755 });
      const { code, output } = await runDemo({ S2S_DEMO_NOT_ROOT: "1", PATH: `${bin}:${process.env.PATH ?? ""}` }, 50_000);
      expect(code, output).toBe(0);
      expect(output).toMatch(/sudo scripts\/provision\.sh\s+# installs conntrack \(starts no daemon\)\n\s+sudo npm run demo/);
      expect(output).toContain("### 3. the branch side");
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

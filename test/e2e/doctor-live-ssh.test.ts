/**
 * `cloudstack-s2s doctor --site … --gateway-ssh …` and `status` as an operator runs them: the CLI, a gateway-SSH
 * file (0600), the real SSH session to the local cloud's netns VR (sshd on the link-local control link, pinned host
 * key), a peer pushed there by pushPeer, and a real branch charon. A branch outside the allow-list leaves the
 * router's log silent: the live doctor names it from the firewall counters; once the branch is inside, both say
 * healthy. Exit codes: status 4 down / 0 healthy; doctor 3 problem / 0 fine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import { connectSshGateway, pushPeer } from "../../provider/push";
import { run } from "../cli/capture";
import { FIXTURE_KEY, FIXTURES, fixtureSite } from "../doctor/helpers";
import { waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { bagOf, peerRenderOf } from "./lab/sites";
import { describeE2e } from "./lab/suite";

describeE2e("doctor and status over SSH (CLI → local cloud netns VR)", { timeout: 60_000 }, () => {
  let router: NetnsRouter;
  let dir: string;
  let access: string;
  const siteFile = join(FIXTURES, "sites", "site-a.yaml");
  const site = fixtureSite("site-a");
  let conn: string;

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId") });
    dir = mkdtempSync(join(tmpdir(), "s2s-doctor-ssh-"));
    access = join(dir, "gateway-ssh.yaml");
    writeFileSync(access, `host: ${router.access.sshHost}\nport: ${router.access.sshPort}\nhostKey: "${router.access.hostKey}"\nprivateKeyFile: ${router.access.privateKeyFile}\n`, { mode: 0o600 });
    const host = await connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey: router.access.hostKey });
    try {
      const r = await pushPeer(host, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(site) });
      conn = r.state.connections[0]!.name;
    } finally {
      await host.close();
    }
    await router.addBranch({ name: "out", wanIp: "203.0.113.210", lanCidr: "192.168.11.0/24" });
  });

  afterAll(async () => {
    const left = await router?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual({ namespaces: [], controlLink: false });
  });

  const cli = (argv: string[]) => run(argv, {});
  const live = (extra: string[] = []) => cli(["doctor", "--site", siteFile, "--gateway-ssh", access, "--log-path", router.vr.logPath, "--since", "30", "--watch", "3", ...extra]);

  it("branch outside the allow-list: status down (4); doctor names source-not-allowed from the counters (3)", async () => {
    router.writeCpeConfig("out", peerRenderOf(site).files);
    await router.startCpe("out");
    const status = await cli(["status", "--site", siteFile, "--gateway-ssh", access]);
    expect(status.code, status.stdout + status.stderr).toBe(4);
    expect(status.stdout).toContain(`${conn}: DOWN — IKE none, CHILD none`);
    expect(status.stdout).toContain("matches the site: yes");

    const blind = await live();
    expect(blind.code, blind.stdout + blind.stderr).toBe(3);
    expect(blind.stdout).toContain("source-not-allowed");
    expect(blind.stdout).toMatch(/IKE packets \(UDP 500\/4500\) were dropped/);
    const told = await live(["--peer-address", "203.0.113.210", "--output", "json"]);
    const f = (JSON.parse(told.stdout) as { findings: { cause: string; fix: string }[] }).findings;
    expect(f.map((x) => x.cause)).toEqual(["source-not-allowed"]);
    expect(f[0]!.fix).toContain("Packets from 203.0.113.210 are dropped: not in allowedSourceCidrs (203.0.113.0/25)");
    for (const out of [status, blind, told]) expect(out.stdout + out.stderr).not.toContain(FIXTURE_KEY);
  });

  it("the same branch inside the allow-list: status healthy (0), doctor established (0)", async () => {
    await router.setWanIp("out", "203.0.113.26");
    await waitUp(router.vr, conn, 25_000);
    await waitFor("traffic through the tunnel", async () => (await router.ping("out", router.guestHostIp, 1)).received === 1, { timeoutMs: 5_000 });
    const status = await cli(["status", "--site", siteFile, "--gateway-ssh", access, "--output", "json"]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const c = (JSON.parse(status.stdout) as { connections: Record<string, unknown>[] }).connections;
    expect(c).toEqual([expect.objectContaining({ connection: conn, health: "healthy", ike: "ESTABLISHED", child: "INSTALLED", peerId: "branch-a@example.com", peerAddress: "203.0.113.26", mismatches: [] })]);
    // bytes, packets and how long ago they moved, as charon counts them
    expect(c[0]!.packetsIn).toBeGreaterThan(0);
    expect(c[0]!.bytesIn).toBeGreaterThan(0);
    expect(c[0]!.lastInSecondsAgo).toBeLessThan(30);
    expect(c[0]!.establishedSecondsAgo).toBeLessThan(60);
    // Without --site: every peer the push put on this router, from its record.
    const all = await cli(["status", "--gateway-ssh", access]);
    expect(all.code, all.stdout).toBe(0);
    expect(all.stdout).toContain(`${conn}: HEALTHY — IKE ESTABLISHED, CHILD INSTALLED`);
    const d = await live(["--watch", "1"]);
    expect(d.code, d.stdout).toBe(0);
    expect(d.stdout).toMatch(/established — /);
    expect(d.stdout).not.toContain(FIXTURE_KEY);
  });
});

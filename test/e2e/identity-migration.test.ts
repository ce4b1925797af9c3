/**
 * Issue 10, migration: a dynamic peer pushed by an earlier release (its connection presents the router's address,
 * `leftid=<public IP>`, and its branch names that address as the router's ID) moves to the isolated layout on the
 * next push, through the real SSH push to the local cloud's netns router. The branch's config is updated first the
 * way an operator would (`ipsec update`: its live SA is kept); then the push replaces the router's connection and
 * ends the old SA once. Proves: exactly one re-authentication, the tunnel back within seconds with traffic both
 * ways, no SA of the old layout left, and the push refuses a gateway whose other secrets could unlock the branch.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import { connectSshGateway, pushPeer, PushError, type SshGatewayHost } from "../../provider/push";
import { dynamicConnectionName } from "../../provider/render/names";
import { waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { bagOf, dynamicSite, newPsk, peerRenderOf } from "./lab/sites";
import { describeE2e } from "./lab/suite";

const BRANCH = { name: "mig", wanIp: "203.0.113.21", lanCidr: "192.168.31.0/24" };

describeE2e("migration of an already-pushed dynamic peer to the isolated identity layout", () => {
  let router: NetnsRouter;
  let host: SshGatewayHost;
  const site = dynamicSite({ name: "site-mig", remoteId: "mig@example.com", cidrList: [BRANCH.lanCidr], allowedSourceCidrs: ["203.0.113.16/28"], psk: newPsk() });
  const base = dynamicConnectionName("mig@example.com");
  const ipsecDir = () => join(router.vr.dir, "etc", "ipsec.d");

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId") });
    host = await connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey: router.access.hostKey, connectTimeoutMs: 8_000 });
    await router.addBranch(BRANCH);
  });

  afterAll(async () => {
    await host?.close();
    if (router) expect(await router.close(), "the router left namespaces or its control link behind").toEqual({ namespaces: [], controlLink: false });
  });

  it("moves a live tunnel to the new layout with exactly one re-authentication", async () => {
    // GIVEN the peer as an earlier release left it: pushed, then its files and record in the old layout
    const first = await pushPeer(host, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(site) });
    const current = first.state.connections.find((c) => c.name.startsWith(`${base}-g`))!.name;
    const legacyName = `${base}-g0ddba11e`;
    const confPath = join(ipsecDir(), `${base}.conf`);
    const conf = readFileSync(confPath, "utf8");
    expect(conf).toMatch(/^ leftid=@vpn-198-51-100-10\.s2s\.invalid$/m);
    writeFileSync(confPath, conf.replaceAll(current, legacyName).replace(/^ leftid=.*$/m, ` leftid=${router.access.publicIp}`));
    const statePath = join(ipsecDir(), "s2s-state.json");
    writeFileSync(statePath, readFileSync(statePath, "utf8").replaceAll(current, legacyName));
    await router.vr.sh("ipsec update");
    await waitFor("legacy connection loaded", async () => (await router.vr.exec(["ipsec", "statusall"])).stdout.includes(`${legacyName}:`), { timeoutMs: 10_000 });
    // AND its branch, configured as before: it names the router's address as the router's identity
    const legacyBranch = peerRenderOf(site).files.map((f) => ({ ...f, content: f.content.replaceAll("@vpn-198-51-100-10.s2s.invalid", router.access.publicIp) }));
    router.writeCpeConfig(BRANCH.name, legacyBranch);
    await router.startCpe(BRANCH.name);
    const before = await waitUp(router.vr, legacyName);
    expect((await router.ping("guest", "192.168.31.10", 2)).received).toBe(2);

    // WHEN the operator updates the branch's config (its SA is kept) and pushes with this release
    router.writeCpeConfig(BRANCH.name, peerRenderOf(site).files);
    await router.cpe(BRANCH.name).sh("ipsec rereadsecrets && ipsec update");
    expect((await router.ping("guest", "192.168.31.10", 1)).received, "updating the branch's config keeps its tunnel").toBe(1);
    const mark = router.vr.logMark();
    const t0 = performance.now();
    const migrated = await pushPeer(host, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(site) });
    const name = migrated.state.connections.find((c) => c.name.startsWith(`${base}-g`))!.name;
    // AND the branch brings its connection up from the reloaded config (its own restart after the router's DELETE
    // reuses the old configuration object, which names the router's address, and is refused)
    await router.cpe(BRANCH.name).exec(["ipsec", "up", peerRenderOf(site).connections[0]!], { allowFail: true, timeoutMs: 15_000 });

    // THEN the branch is back on the new connection, having re-authenticated exactly once
    const after = await waitUp(router.vr, name, 20_000);
    const backMs = performance.now() - t0;
    console.log(`[migration] push ${Math.round(migrated.durationMs)} ms; tunnel back on the new layout ${Math.round(backMs)} ms after the push started`);
    expect(after.spiI).not.toBe(before.spiI);
    expect(router.vr.logSince(mark).match(new RegExp(`IKE_SA ${name}\\[\\d+\\] established`, "g"))).toHaveLength(1);
    expect(router.vr.logSince(mark)).toMatch(/authentication of 'vpn-198-51-100-10\.s2s\.invalid' \(myself\) with pre-shared key/);
    expect((await router.vr.sas()).filter((s) => s.name === legacyName)).toEqual([]);
    expect((await router.vr.exec(["ipsec", "statusall"])).stdout).not.toContain(`${legacyName}:`);
    expect((await router.ping("guest", "192.168.31.10", 3)).received).toBe(3);
    expect((await router.ping(BRANCH.name, router.guestHostIp, 3)).received).toBe(3);
    expect(backMs).toBeLessThan(15_000);
  });

  it("refuses to push while a remote-access secret in the old wildcard form sits on the router, changing nothing", async () => {
    // GIVEN an older CloudStack's remote-access line: `<router IP> %any : PSK` matches every identity
    const ra = join(ipsecDir(), "ipsec.any.secrets");
    writeFileSync(ra, `${router.access.publicIp} %any : PSK "remote-access-key-known-to-every-l2tp-user"\n`, { mode: 0o600 });
    try {
      const files = () => readFileSync(join(ipsecDir(), `${base}.conf`), "utf8");
      const before = files();
      const changed = dynamicSite({ name: "site-mig", remoteId: "mig@example.com", cidrList: [BRANCH.lanCidr, "192.168.32.0/24"], allowedSourceCidrs: ["203.0.113.16/28"], psk: site.customerGateway.ipsecPsk as string });
      const err = await pushPeer(host, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(changed) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PushError);
      expect((err as Error).message).toMatch(/ipsec\.any\.secrets holds a secret keyed by "%any", a wildcard/);
      expect((err as Error).message).not.toContain("remote-access-key");
      expect(files()).toBe(before);
    } finally {
      writeFileSync(ra, "");
    }
  });
});

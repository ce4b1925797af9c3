/**
 * Pushed dynamic peers through the router's life (issue 9), on the local cloud's netns VR (real charon, iptables,
 * sshd) driven through the local cloud's API (createVpnConnection, rebootRouter, restartVPC, listRouters) and the
 * real SSH push. Proves:
 * - after CloudStack's reconfiguration deleted the push's rules (CsNetfilters), the s2s-heal watcher puts them back
 *   by itself within 5 s, and a branch that then changes address is back by itself (logged; asserted < 10 s); the other
 *   pushed tunnel keeps its SAs and loses no ping;
 * - after rebootRouter (disk kept; rules, processes, SAs lost) both branches are back by themselves within 60 s;
 * - after restartVPC cleanup=true (new router: new id, new host key, nothing pushed) the old pin is refused with the
 *   re-pin instructions, the gateway holds no record of the peers, and a push with the new pin brings both back;
 * - removing the last peer removes the watcher, its files and its runtime state.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import * as cs from "../../provider/cloudstack";
import { startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import { ContinuousPing } from "../../provider/local-cloud/netns/ping";
import type { SiteSpec } from "../../provider/model/site";
import { connectSshGateway, HostKeyMismatchError, inspect, pushPeer, RouterSet, STATE_PATH, type PushState, type SshGatewayHost } from "../../provider/push";
import { dynamicConnectionName } from "../../provider/render/names";
import { parseOwnFirewall } from "../../provider/render/push-firewall";
import { firewallProblems } from "../../provider/push/gateway-state";
import { namespacePids } from "./lab/cleanup";
import { waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { bagOf, dynamicSite, newPsk, peerRenderOf } from "./lab/sites";
import { describeE2e } from "./lab/suite";

const BRANCHES = {
  mob: { wanIp: "203.0.113.21", moveTo: "203.0.113.22", lanCidr: "192.168.21.0/24", remoteId: "mob@example.com", allowed: ["203.0.113.16/28"] },
  still: { wanIp: "203.0.113.5", lanCidr: "192.168.22.0/24", remoteId: "still@example.com", allowed: ["203.0.113.0/28"] },
} as const;
type Branch = keyof typeof BRANCHES;

describeE2e("pushed dynamic peers through the router's life (netns VR, local cloud API)", { timeout: 120_000 }, () => {
  let router: NetnsRouter;
  let cloud: LocalCloud;
  let client: cs.CloudStackClient;
  let host: SshGatewayHost;
  let last: PushState;
  const sites = new Map<Branch, SiteSpec>();

  const site = (b: Branch): SiteSpec => {
    const s = sites.get(b) ?? dynamicSite({ name: `site-${b}`, remoteId: BRANCHES[b].remoteId, cidrList: [BRANCHES[b].lanCidr], allowedSourceCidrs: [...BRANCHES[b].allowed], psk: newPsk() });
    sites.set(b, s);
    return s;
  };
  const push = async (b: Branch, create = true) => {
    const r = await pushPeer(host, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(site(b), create) });
    last = r.state;
    return r;
  };
  const base = (b: Branch): string => dynamicConnectionName(bagOf(site(b)).peer_id ?? "");
  const connOf = (b: Branch): string => last.connections.find((c) => c.name.startsWith(`${base(b)}-g`))!.name;
  const connect = (hostKey = router.access.hostKey) => connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey, connectTimeoutMs: 8_000 });
  const spiOf = async (b: Branch): Promise<string | undefined> => {
    const sa = (await router.vr.sas()).find((s) => s.name === connOf(b) && s.state === "ESTABLISHED");
    return sa ? `${sa.spiI}/${sa.children[0]?.spiIn}` : undefined;
  };
  const pingsCross = async (b: Branch) => {
    const lan = router.topo.branch(b).lanHostIp;
    await waitFor(`guest → ${b}`, async () => (await router.ping("guest", lan, 1)).received === 1, { timeoutMs: 10_000 });
    expect((await router.ping("guest", lan, 3)).received).toBe(3);
    expect((await router.ping(b, router.guestHostIp, 3)).received).toBe(3);
  };
  const routerOf = async () => (await cs.listRouters(client, { vpcId: cloud.seededVpc.id }))[0]!;

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId") });
    cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 2_000 });
    client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 60_000 } });
    host = await connect();
    for (const [name, b] of Object.entries(BRANCHES)) await router.addBranch({ name, wanIp: b.wanIp, lanCidr: b.lanCidr });
    for (const b of ["mob", "still"] as const) {
      expect((await push(b)).warnings).toEqual([]);
      router.writeCpeConfig(b, peerRenderOf(site(b)).files);
      await router.startCpe(b);
    }
    for (const b of ["mob", "still"] as const) await waitUp(router.vr, connOf(b), 15_000);
  });

  afterAll(async () => {
    await host?.close();
    client?.close();
    await cloud?.close();
    if (router) expect(await router.close(), "the router left namespaces or its control link behind").toEqual({ namespaces: [], controlLink: false });
  });

  it("CloudStack's reconfiguration deletes the push's rules; the watcher restores them within 5 s and a branch that changes address right then is back by itself; the other tunnel loses nothing", async () => {
    const before = await inspect(host, last);
    expect(before.inSync, JSON.stringify(before)).toBe(true);
    expect(before.heal).toMatchObject({ expected: true, running: true, version: 1, problems: [] });
    const still = router.topo.branch("still");
    const steady = new ContinuousPing(still.lan, router.guestHostIp, 0.2);
    await waitFor("steady ping answered", () => steady.replies() >= 2, { timeoutMs: 5_000 });
    const stillSpi = await spiOf("still");
    // WHEN CloudStack reconfigures the router (a static connection created through its API)
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    const cgw = await cs.createVpnCustomerGateway(client, { name: "dc", gateway: "203.0.113.99", cidrList: "172.16.0.0/20", ipsecPsk: newPsk(), ikePolicy: "aes256-sha256;modp2048", espPolicy: "aes256-sha256" });
    const conn = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id });
    const reconfiguredAt = performance.now();
    expect(router.reconfigurations.at(-1)!.firewall.deleted.some((r) => r.includes("-j S2S_DYN_IN")), "CsNetfilters deleted the push's jump").toBe(true);
    // THEN the watcher has put exactly the recorded rules back (read straight from the router, no SSH)
    const healed = waitFor("own rules back", async () => firewallProblems(parseOwnFirewall((await router.vr.exec(["iptables-save"])).stdout), last.firewall).length === 0, { timeoutMs: 15_000, intervalMs: 50 }).then(() => (performance.now() - reconfiguredAt) / 1000);
    // AND the mobile branch that gets a new address right away is back from it, with traffic both ways
    await router.setWanIp("mob", BRANCHES.mob.moveTo);
    const sa = await waitUp(router.vr, connOf("mob"), 15_000, (s) => s.remoteAddr === BRANCHES.mob.moveTo);
    const seconds = (performance.now() - reconfiguredAt) / 1000;
    const healSeconds = await healed;
    console.log(`[e2e] reconfiguration → own rules back in ${healSeconds.toFixed(2)} s; branch back from its new address (${sa.remoteAddr}) in ${seconds.toFixed(2)} s`);
    expect(healSeconds).toBeLessThan(5);
    // The branch's own retransmission schedule (1, 2.5, 4.75 s, then a new attempt at ~8 s) decides when it is back
    // once the rules are; on a loaded 2-core machine that has been 8.9 s in 2 of 10 runs (bench: median 2.7 s).
    expect(seconds).toBeLessThan(10);
    await pingsCross("mob");
    // AND the other tunnel kept its SAs and lost no ping; the gateway is as recorded, the heal counted
    const report = await steady.stop();
    expect(report.lost, `steady ping lost ${report.lost.length} of ${report.transmitted}`).toEqual([]);
    expect(await spiOf("still")).toBe(stillSpi);
    const after = await inspect(host, last);
    expect(after.inSync, JSON.stringify(after.firewall)).toBe(true);
    expect(after.heal.heals).toBeGreaterThanOrEqual(1);
    await cs.deleteVpnConnection(client, conn.id);
    await cs.deleteVpnGateway(client, vgw.id);
    await cs.deleteVpnCustomerGateway(client, cgw.id);
  });

  it("rebootRouter: both pushed peers are back by themselves within 60 s (watcher started by charon, rules re-applied after CloudStack's boot configuration)", async () => {
    const r = await routerOf();
    const t0 = performance.now();
    await cs.rebootRouter(client, r.id);
    await host.close();
    host = await connect(); // same host key: the disk survived
    for (const b of ["mob", "still"] as const) await waitUp(router.vr, connOf(b), 60_000);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[e2e] rebootRouter → both pushed peers back in ${seconds.toFixed(2)} s (from the reboot request)`);
    expect(seconds).toBeLessThan(60);
    expect(router.boots).toBe(2);
    for (const b of ["mob", "still"] as const) await pingsCross(b);
    const report = await inspect(host, last);
    expect(report.inSync, JSON.stringify(report)).toBe(true);
    expect(report.heal.running).toBe(true);
    expect((await routerOf()).id).toBe(r.id);
  });

  it("restartVPC cleanup=true: a new router (new id, new host key, nothing pushed); the old pin is refused with re-pin instructions; a push with the new pin brings both back", async () => {
    const old = await routerOf();
    const oldPin = router.access.hostKey;
    await cs.restartVpc(client, cloud.seededVpc.id, true);
    const now = await routerOf();
    expect(now.id).not.toBe(old.id);
    expect(router.access.hostKey).not.toBe(oldPin);
    await host.close();
    const refused = await connect(oldPin).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HostKeyMismatchError);
    expect((refused as Error).message).toContain(`set \`hostKey\` to ${router.access.hostKey}`);
    // The opt-in (ssh.acceptRecreatedRouterKey) takes the new key only against the ids of the last push: CloudStack's
    // listRouters shows a router id the last push did not record. With the new id recorded, the same key is refused.
    const ssh = { host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile, "utf8"), hostKey: oldPin, acceptRecreatedRouterKey: true };
    const listed = await cs.listRouters(client, { vpcId: cloud.seededVpc.id });
    const notNew = await RouterSet.open(ssh, listed, undefined, { recordedRouterIds: [now.id] }).catch((e: unknown) => e);
    expect((notNew as Error).message).toMatch(/host key refused: .*CloudStack does not report a re-created router at this address/);
    const accepted = await RouterSet.open(ssh, listed, undefined, { recordedRouterIds: [old.id] });
    expect(accepted.acceptedKeys()).toEqual([{ target: `${router.access.sshHost}:3922`, routerId: now.id, routerName: now.name, fingerprint: router.access.hostKey }]);
    await accepted.close();
    host = await connect(router.access.hostKey);
    expect(await host.readFile(STATE_PATH)).toBeUndefined();
    for (const b of ["mob", "still"] as const) await push(b);
    for (const b of ["mob", "still"] as const) await waitUp(router.vr, connOf(b), 60_000);
    for (const b of ["mob", "still"] as const) await pingsCross(b);
    expect((await inspect(host, last)).inSync).toBe(true);
  });

  it("removing the last pushed peer removes the watcher, its files and its runtime state", async () => {
    await push("mob", false);
    expect((await inspect(host, last)).heal.running).toBe(true);
    const removal = await push("still", false);
    expect(removal.warnings).toEqual([]);
    const etc = join(router.vr.dir, "etc");
    expect(readdirSync(join(etc, "ipsec.d")).filter((f) => f.startsWith("s2s-heal"))).toEqual([]);
    expect(readdirSync(join(etc, "strongswan.d")).filter((f) => f.startsWith("s2s-heal"))).toEqual([]);
    expect(readdirSync(join(router.vr.dir, "run")).filter((f) => f.startsWith("s2s-heal"))).toEqual([]);
    const watchers = namespacePids(router.topo.vr).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("s2s-heal");
      } catch {
        return false;
      }
    });
    expect(watchers).toEqual([]);
    const report = await inspect(host, last);
    expect(report.heal).toMatchObject({ expected: false, running: false, problems: [] });
  });
});

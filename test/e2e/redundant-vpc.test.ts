/**
 * Pushed dynamic peers on a redundant VPC (issue 9 §4): the local cloud's two netns router VMs (real charon,
 * iptables, sshd; keepalived's failover as CsRedundant.py runs it), found through listRouters and pushed to over
 * real SSH with one transaction for both (push.ts runPushAll). Proves:
 * - a pair reached through one router is refused, naming both routers CloudStack lists;
 * - a push lands on both: the BACKUP (charon stopped by CloudStack) holds the same files, rules and a running heal
 *   watcher, nothing loaded; the PRIMARY loads and carries the tunnel; adding a second peer leaves the first one's SA
 *   and traffic alone (0 pings lost);
 * - stopRouter(PRIMARY): the BACKUP takes the public IP and starts charon, which loads the pushed peers; both
 *   branches re-establish by themselves within 30 s and pings cross both ways (figures printed);
 * - a push while one router is down fails naming it and changes nothing on the other; with allowPartialPush it
 *   lands on the reachable one and names the gap; the router, started again as BACKUP, is repaired by the next push;
 * - removing the last peers removes the self-healing parts from both routers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import * as cs from "../../provider/cloudstack";
import { startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { NetnsRouter, type RouterVmView } from "../../provider/local-cloud/netns";
import { ContinuousPing } from "../../provider/local-cloud/netns/ping";
import type { SshAccessSpec } from "../../provider/model/gateway-access";
import type { SiteSpec } from "../../provider/model/site";
import { connectSshGateway, inspect, parseStateFile, pushPeerToRouters, removeEmptyPushState, routerCoverageProblem, STATE_PATH, withRouters, type PushState } from "../../provider/push";
import { dynamicConnectionName } from "../../provider/render/names";
import { namespacePids } from "./lab/cleanup";
import { waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { bagOf, dynamicSite, newPsk, peerRenderOf } from "./lab/sites";
import { run } from "../cli/capture";
import { describeE2e } from "./lab/suite";

const BRANCHES = {
  one: { wanIp: "203.0.113.41", lanCidr: "192.168.41.0/24", remoteId: "one@example.com" },
  two: { wanIp: "203.0.113.42", lanCidr: "192.168.42.0/24", remoteId: "two.example.com" },
  three: { wanIp: "203.0.113.43", lanCidr: "192.168.43.0/24", remoteId: "three@example.com" },
} as const;
type Branch = keyof typeof BRANCHES;

describeE2e("pushed dynamic peers on a redundant VPC (two netns router VMs, VRRP failover)", { timeout: 150_000 }, () => {
  let router: NetnsRouter;
  let cloud: LocalCloud;
  let client: cs.CloudStackClient;
  let first: RouterVmView;
  let second: RouterVmView;
  let last: PushState;
  const sites = new Map<Branch, SiteSpec>();

  const site = (b: Branch): SiteSpec => {
    const s = sites.get(b) ?? dynamicSite({ name: `site-${b}`, remoteId: BRANCHES[b].remoteId, cidrList: [BRANCHES[b].lanCidr], allowedSourceCidrs: ["203.0.113.32/28"], psk: newPsk() });
    sites.set(b, s);
    return s;
  };
  const access = (o: Partial<SshAccessSpec> = {}): SshAccessSpec => ({
    host: first.access.sshHost,
    port: first.access.sshPort,
    privateKey: readFileSync(first.access.privateKeyFile, "utf8"),
    hostKey: first.access.hostKey,
    secondRouter: { host: second.access.sshHost, port: second.access.sshPort, hostKey: second.access.hostKey },
    ...o,
  });
  const rows = () => cs.listRouters(client, { vpcId: cloud.seededVpc.id });
  const push = async (b: Branch, create = true, ssh = access()) =>
    withRouters(ssh, await rows(), async (set) => {
      const results = await pushPeerToRouters(set.targets(), { publicIp: first.access.publicIp, publicInterface: first.access.publicInterface, bag: bagOf(site(b), create) }, { pair: set.pair });
      last = results[0]!.state;
      return { results, unreachable: set.unreachableLines() };
    });
  const open = (vm: RouterVmView) => connectSshGateway({ host: vm.access.sshHost, port: vm.access.sshPort, privateKey: readFileSync(vm.access.privateKeyFile), hostKey: vm.access.hostKey, connectTimeoutMs: 8_000 });
  const onRouter = async <T>(vm: RouterVmView, fn: (h: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> => {
    const h = await open(vm);
    try {
      return await fn(h);
    } finally {
      await h.close();
    }
  };
  const connOf = (b: Branch): string => last.connections.find((c) => c.name.startsWith(`${dynamicConnectionName(bagOf(site(b)).peer_id ?? "")}-g`))!.name;
  const instOf = (vm: RouterVmView) => router.vmList.find((v) => v.routerId === vm.id)!.vr;
  const spiOf = async (vm: RouterVmView, b: Branch) => {
    const sa = (await instOf(vm).sas()).find((s) => s.name === connOf(b) && s.state === "ESTABLISHED");
    return sa ? `${sa.spiI}/${sa.children[0]?.spiIn}` : undefined;
  };
  const pingsCross = async (b: Branch, timeoutMs = 10_000) => {
    const lan = router.topo.branch(b).lanHostIp;
    await waitFor(`guest → ${b}`, async () => (await router.ping("guest", lan, 1)).received === 1, { timeoutMs, intervalMs: 100 });
    expect((await router.ping("guest", lan, 3)).received).toBe(3);
    expect((await router.ping(b, router.guestHostIp, 3)).received).toBe(3);
  };
  const startBranch = async (b: Branch) => {
    router.writeCpeConfig(b, peerRenderOf(site(b)).files);
    await router.startCpe(b);
  };

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId"), redundant: true });
    cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 2_000 });
    client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 60_000 } });
    [first, second] = router.vms() as [RouterVmView, RouterVmView];
    for (const b of ["one", "two"] as const) await router.addBranch({ name: b, wanIp: BRANCHES[b].wanIp, lanCidr: BRANCHES[b].lanCidr });
  });

  afterAll(async () => {
    client?.close();
    await cloud?.close();
    if (router) expect(await router.close(), "the router left namespaces or its control link behind").toEqual({ namespaces: [], controlLink: false });
  });

  it("listRouters shows the pair; an access that reaches one router only is refused, naming both", async () => {
    const listed = await rows();
    expect(listed.map((r) => [r.name, r.redundantstate, r.linklocalip]).sort()).toEqual([
      [first.name, "PRIMARY", first.access.sshHost],
      [second.name, "BACKUP", second.access.sshHost],
    ].sort());
    const { secondRouter: _s, ...one } = access();
    const problem = routerCoverageProblem(one, listed);
    expect(problem).toContain(`${first.name} (${first.access.sshHost}, PRIMARY`);
    expect(problem).toContain(`${second.name} (${second.access.sshHost}, BACKUP`);
    expect(routerCoverageProblem(access(), listed)).toBeUndefined();
  });

  it("a push lands on both routers: the BACKUP holds files, rules and the heal watcher with charon stopped; a second peer leaves the first tunnel alone", async () => {
    const { results } = await push("one");
    expect(results.map((r) => r.changed)).toEqual([true, true]);
    await startBranch("one");
    await waitUp(instOf(first), connOf("one"), 20_000);
    await pingsCross("one");
    const backup = await onRouter(second, (h) => inspect(h, last));
    expect(backup, JSON.stringify(backup)).toMatchObject({ inSync: true, standby: true, files: [], firewall: [], connections: [] });
    expect(backup.heal).toMatchObject({ running: true, problems: [] });
    expect((await onRouter(second, (h) => h.exec("ipsec status"))).code, "charon must stay stopped on the BACKUP").not.toBe(0);
    expect((await onRouter(first, (h) => inspect(h, last))).inSync).toBe(true);

    // WHEN a second peer is pushed to the pair while branch one carries traffic
    const steady = new ContinuousPing(router.topo.branch("one").lan, router.guestHostIp, 0.2);
    await waitFor("steady ping answered", () => steady.replies() >= 2, { timeoutMs: 5_000 });
    const spi = await spiOf(first, "one");
    await push("two");
    await startBranch("two");
    await waitUp(instOf(first), connOf("two"), 20_000);
    const report = await steady.stop();
    expect(report.lost, `steady ping lost ${report.lost.length} of ${report.transmitted}`).toEqual([]);
    expect(await spiOf(first, "one")).toBe(spi);
    const records = await Promise.all([first, second].map((vm) => onRouter(vm, async (h) => parseStateFile(await h.readFile(STATE_PATH)))));
    expect(records[1]).toEqual(records[0]);
    expect(records[0]!.peers.map((p) => p.bag.peer_id).sort()).toEqual(["one@example.com", "two.example.com"]);
  });

  it("stopRouter(PRIMARY): the BACKUP takes over with the pushed peers loaded; both branches are back by themselves within 30 s", async () => {
    const t0 = performance.now();
    await cs.stopRouter(client, first.id);
    const promoted = await router.waitForPrimary(20_000);
    const charonUp = (performance.now() - t0) / 1000;
    expect(promoted.id).toBe(second.id);
    for (const b of ["one", "two"] as const) await waitUp(instOf(second), connOf(b), 30_000);
    const back = (performance.now() - t0) / 1000;
    await pingsCross("one");
    await pingsCross("two");
    console.log(`[e2e] failover: stopRouter → new PRIMARY's charon up ${charonUp.toFixed(2)} s; both branches re-established on it ${back.toFixed(2)} s after the stop request`);
    expect(back).toBeLessThan(30);
    const now = await onRouter(second, (h) => inspect(h, last));
    expect(now, JSON.stringify(now)).toMatchObject({ inSync: true, standby: false });
    expect((await rows()).find((r) => r.id === first.id)?.state).toBe("Stopped");
  });

  it("a push while one router is down fails naming it and changes nothing; allowPartialPush pushes to the other and names the gap; the next push repairs the restarted router", async () => {
    const before = await onRouter(second, async (h) => (await h.readFile(STATE_PATH))!.toString());
    const err = await push("three").catch((e: Error) => e);
    expect((err as Error).message).toMatch(new RegExp(`^router ${first.name} \\(root@${first.access.sshHost.replace(/\./g, "\\.")}:3922\\), one router of the redundant pair, cannot be reached: .*Nothing was pushed to either router.*allowPartialPush`));
    expect(await onRouter(second, async (h) => (await h.readFile(STATE_PATH))!.toString())).toBe(before);

    const partial = await push("three", true, access({ allowPartialPush: true }));
    expect(partial.results).toHaveLength(1);
    expect(partial.unreachable).toEqual([expect.stringContaining(`router ${first.name} (root@${first.access.sshHost}:3922): not reached`)]);
    expect(parseStateFile(await onRouter(second, (h) => h.readFile(STATE_PATH)))!.peers).toHaveLength(3);

    await cs.startRouter(client, first.id);
    const restarted = router.vms().find((v) => v.id === first.id)!;
    expect(restarted.redundantState).toBe("BACKUP");
    const stale = await onRouter(restarted, (h) => inspect(h, last));
    expect(stale.inSync).toBe(false);
    expect(stale.files.map((f) => f.problem)).toContain("missing");
    const repaired = await push("three");
    expect(repaired.results.map((r) => r.changed).sort()).toEqual([false, true]);
    for (const vm of [restarted, second]) expect((await onRouter(vm, (h) => inspect(h, last))).inSync, vm.name).toBe(true);
    await pingsCross("one");
  });

  it("the CLI: `push` of a site file goes to both routers; `reconcile` repairs a router whose files were wiped (exit 2, naming it), then exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s2s-pair-"));
    try {
      const access = join(dir, "gateway-ssh.json");
      writeFileSync(access, JSON.stringify({ host: first.access.sshHost, hostKey: first.access.hostKey, privateKeyFile: first.access.privateKeyFile, secondRouter: { host: second.access.sshHost, hostKey: second.access.hostKey } }), { mode: 0o600 });
      const credentials = join(dir, "credentials.json");
      writeFileSync(credentials, JSON.stringify({ url: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey }), { mode: 0o600 });
      const siteFile = join(dir, "four.json");
      writeFileSync(siteFile, JSON.stringify({ name: "four", vpnGateway: { vpcId: cloud.seededVpc.id, vpcCidr: cloud.seededVpc.cidr }, customerGateway: { peer: { type: "dynamic", remoteId: "four@example.com", allowedSourceCidrs: ["203.0.113.32/28"] }, cidrList: ["192.168.44.0/24"], ipsecPsk: { env: "FOUR_PSK" } } }));
      const env = { FOUR_PSK: newPsk() };
      const cli = (...argv: string[]) => run([...argv, "--credentials-file", credentials, "--gateway-ssh", access], env);
      const pushed = await cli("push", siteFile);
      expect(pushed, pushed.stderr).toMatchObject({ code: 0 });
      expect(pushed.stdout).toMatch(new RegExp(`pushed dynamic peer s2s-four-example-com-[0-9a-f]{8} to router ${first.name} \\(root@${first.access.sshHost.replace(/\./g, "\\.")}:3922\\) and router ${second.name}`));
      expect(await cli("reconcile", siteFile)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^site four: in sync\n/) });
      // `status` reads the router that carries the tunnels: the PRIMARY (here the second VM, after the failover),
      // although the access document names the BACKUP first
      expect(router.primary()?.id).toBe(second.id);
      const status = await run(["status", "--gateway-ssh", access], {});
      expect(status.stdout).toMatch(/^s2s-one-example-com-\S+: HEALTHY/m);
      expect(status.stdout).toMatch(/^s2s-two-example-com-\S+: HEALTHY/m);
      // WHEN one router of the pair loses the peer's files (a re-created BACKUP, say)
      const current = router.vms().find((v) => v.redundantState === "BACKUP")!;
      const ipsecD = join(router.vmList.find((v) => v.routerId === current.id)!.vr.dir, "etc", "ipsec.d");
      for (const f of readdirSync(ipsecD).filter((n) => n.startsWith("s2s-four-example-com-"))) rmSync(join(ipsecD, f));
      const repaired = await cli("reconcile", siteFile);
      expect(repaired.code, repaired.stdout + repaired.stderr).toBe(2);
      expect(repaired.stdout).toContain(`drift: router ${current.name} (root@${current.access.sshHost}:3922): /etc/ipsec.d/s2s-four-example-com-`);
      expect(await cli("reconcile", siteFile)).toMatchObject({ code: 0 });
      const removed = await cli("unpush", siteFile);
      expect(removed, removed.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining("removed dynamic peer s2s-four-example-com-") });
      for (const vm of router.vms()) expect((await onRouter(vm, (h) => h.list("/etc/ipsec.d"))).filter((n) => n.startsWith("s2s-four")), vm.name).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("removing the last peers removes the self-healing parts from both routers", async () => {
    for (const b of ["one", "two", "three"] as const) await push(b, false);
    expect(last.peers).toEqual([]);
    for (const vm of router.vms()) {
      await onRouter(vm, async (h) => {
        await removeEmptyPushState(h);
        expect((await h.list("/etc/ipsec.d")).filter((n) => n.startsWith("s2s-")), vm.name).toEqual([]);
        expect(await h.stat("/etc/strongswan.d/s2s-heal.conf"), vm.name).toBeUndefined();
        expect((await inspect(h, last)).heal, vm.name).toMatchObject({ expected: false, running: false, problems: [] });
      });
      const watchers = namespacePids(vm.namespace).filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("s2s-heal");
        } catch {
          return false;
        }
      });
      expect(watchers, vm.name).toEqual([]);
    }
  });
});

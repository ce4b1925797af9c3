/**
 * A redundant VPC (`redundantvpcrouter`) on the local cloud's netns router: two router VMs with real charon,
 * iptables and sshd, keepalived's failover as CsRedundant.py runs it, driven through the local cloud's API.
 * Proves:
 * - each VM answers SSH on its own control address with its own host key (the other's pin is refused), both take
 *   the same login key; only the PRIMARY has its public link up and charon running (`ipsec status` fails on the
 *   BACKUP); listRouters shows one PRIMARY and one BACKUP;
 * - a static connection created through the API comes up with the branch via the PRIMARY; the BACKUP got the same
 *   data bag (files and rules) with nothing loaded;
 * - stopRouter(PRIMARY): the BACKUP becomes PRIMARY after keepalived's master-down interval, its charon runs with
 *   the data bag's connection, the branch re-establishes by DPD and pings cross both ways (figures printed);
 * - startRouter(old) brings it back as BACKUP without disturbing the new PRIMARY's SA; failRouter (a crash CloudStack
 *   does not see) fails over the same way; nothing is left behind.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import * as cs from "../../provider/cloudstack";
import { startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { NetnsRouter, type RouterVmView } from "../../provider/local-cloud/netns";
import { ping } from "../../provider/local-cloud/netns/ping";
import { connectSshGateway, HostKeyMismatchError } from "../../provider/push";
import { waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { newPsk, peerRenderOf, staticSite } from "./lab/sites";
import { describeE2e } from "./lab/suite";

const BRANCH = { name: "ha", wanIp: "203.0.113.30", lanCidr: "192.168.13.0/24" };
const CONN = `vpn-${BRANCH.wanIp}`;

describeE2e("redundant VPC on the local cloud's netns router (two VMs, keepalived failover)", { timeout: 120_000 }, () => {
  let router: NetnsRouter;
  let cloud: LocalCloud;
  let client: cs.CloudStackClient;
  const psk = newPsk();
  // The branch probes every 2 s: after a failover its DPD finds the old SA gone and restarts against the new PRIMARY.
  const site = staticSite({ name: "site-ha", gateway: BRANCH.wanIp, cidrList: [BRANCH.lanCidr], psk, extra: { dpd: true, dpdDelaySeconds: 2, dpdTimeoutSeconds: 10 } });

  const vmOf = (id: string) => router.vmList.find((v) => v.routerId === id)!;
  const sshExec = async (vm: RouterVmView, command: string) => {
    const host = await connectSshGateway({ host: vm.access.sshHost, port: vm.access.sshPort, privateKey: readFileSync(vm.access.privateKeyFile), hostKey: vm.access.hostKey, connectTimeoutMs: 8_000 });
    try {
      return await host.exec(command);
    } finally {
      await host.close();
    }
  };
  const publicLink = async (vm: RouterVmView) => (await sshExec(vm, "cat /sys/class/net/eth1/operstate")).stdout.trim();
  const rows = async () => cs.listRouters(client, { vpcId: cloud.seededVpc.id });
  const pingsCross = async (timeoutMs: number) => {
    const lan = router.topo.branch(BRANCH.name).lanHostIp;
    await waitFor("guest → branch LAN", async () => (await router.ping("guest", lan, 1)).received === 1, { timeoutMs, intervalMs: 100 });
    expect((await router.ping("guest", lan, 3)).received).toBe(3);
    expect((await router.ping(BRANCH.name, router.guestHostIp, 3)).received).toBe(3);
  };
  /** The standby VM after a failover must look like set_backup left it: public link down, no charon. */
  const expectBackup = async (vm: RouterVmView) => {
    expect(vm.redundantState).toBe("BACKUP");
    expect(await publicLink(vm)).toBe("down");
    expect((await sshExec(vm, "ipsec status")).code, "charon must not run on the BACKUP").not.toBe(0);
  };

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId"), redundant: true });
    cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 2_000 });
    client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 60_000 } });
    await router.addBranch(BRANCH);
  });

  afterAll(async () => {
    client?.close();
    await cloud?.close();
    if (!router) return;
    expect(await router.close(), "the router left namespaces or control links behind").toEqual({ namespaces: [], controlLink: false });
    expect(existsSync(router.dir)).toBe(false);
  });

  it("two VMs, each with its own namespace, control address and host key; only the PRIMARY has the public link and charon; listRouters shows PRIMARY and BACKUP", async () => {
    expect(router.redundant).toBe(true);
    const [a, b] = router.vms() as [RouterVmView, RouterVmView];
    expect([a.redundantState, b.redundantState]).toEqual(["PRIMARY", "BACKUP"]);
    expect(router.primary()?.id).toBe(a.id);
    expect(router.access).toEqual(a.access);
    expect(a.namespace).not.toBe(b.namespace);
    expect(a.access.sshHost).not.toBe(b.access.sshHost);
    expect(a.access.hostKey).not.toBe(b.access.hostKey);
    expect(b.access.privateKeyFile).toBe(a.access.privateKeyFile);
    expect([b.access.publicIp, b.access.publicInterface]).toEqual([a.access.publicIp, a.access.publicInterface]);
    // Each VM's sshd proves its own key; the other VM's pin is refused.
    const crossed = await connectSshGateway({ host: b.access.sshHost, port: 3922, privateKey: readFileSync(b.access.privateKeyFile), hostKey: a.access.hostKey, connectTimeoutMs: 8_000 }).catch((e: unknown) => e);
    expect(crossed).toBeInstanceOf(HostKeyMismatchError);
    expect(await publicLink(a)).toBe("up");
    expect((await sshExec(a, "ipsec status")).code).toBe(0);
    await expectBackup(b);
    expect((await sshExec(a, "cat /sys/class/net/eth1/address")).stdout).toBe((await sshExec(b, "cat /sys/class/net/eth1/address")).stdout);
    // The public IP answers from the internet (only the PRIMARY's link is up).
    expect((await ping(router.topo.branch(BRANCH.name).cpe, a.access.publicIp, 2)).received).toBe(2);
    const listed = await rows();
    expect(listed.map((r) => [r.id, r.redundantstate, r.isredundantrouter, r.state])).toEqual([
      [a.id, "PRIMARY", true, "Running"],
      [b.id, "BACKUP", true, "Running"],
    ]);
    expect(listed.map((r) => r.linklocalip)).toEqual([a.access.sshHost, b.access.sshHost]);
  });

  it("a static connection created through the API comes up via the PRIMARY; the BACKUP holds the same files and rules with nothing loaded", async () => {
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    const cgw = await cs.createVpnCustomerGateway(client, { name: "ha", gateway: BRANCH.wanIp, cidrList: BRANCH.lanCidr, ipsecPsk: psk, ikePolicy: "aes256-sha256;modp2048", espPolicy: "aes256-sha256;modp2048", dpd: true });
    await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id });
    router.writeCpeConfig(BRANCH.name, peerRenderOf(site).files);
    await router.startCpe(BRANCH.name);
    const [a, b] = router.vmList;
    await waitUp(a!.vr, CONN, 20_000);
    await pingsCross(10_000);
    expect(existsSync(join(b!.vr.dir, "etc", "ipsec.d", `ipsec.${CONN}.conf`))).toBe(true);
    expect(router.reconfigurations.some((r) => r.ipsecStopped === true && r.firewall.added.some((rule) => rule.includes(`-s ${BRANCH.wanIp}`)))).toBe(true);
    expect((await b!.vr.exec(["iptables-save"])).stdout).toContain(`-s ${BRANCH.wanIp}/32`);
    await expectBackup(b!.view());
  });

  it("stopRouter(PRIMARY): the BACKUP takes over after the master-down interval with the connection loaded; the branch re-establishes and pings cross", async () => {
    const old = router.primary()!;
    const standby = router.vms().find((v) => v.id !== old.id)!;
    const t0 = performance.now();
    await cs.stopRouter(client, old.id);
    const now = await router.waitForPrimary(15_000);
    const charonUp = (performance.now() - t0) / 1000;
    expect(now.id).toBe(standby.id);
    const vm = vmOf(now.id);
    expect((await vm.vr.exec(["ipsec", "statusall"])).stdout).toContain(`${CONN}:`);
    await waitUp(vm.vr, CONN, 30_000);
    const saUp = (performance.now() - t0) / 1000;
    await pingsCross(30_000);
    const pingsBack = (performance.now() - t0) / 1000;
    console.log(`[e2e] redundant failover: stopRouter → new PRIMARY's charon up ${charonUp.toFixed(2)} s; branch SA up ${saUp.toFixed(2)} s; pings cross ${pingsBack.toFixed(2)} s`);
    // keepalived's master-down interval is 3.61 s after the last advert (adverts each 1 s): never before 2.6 s.
    expect(charonUp).toBeGreaterThan(2.5);
    expect(charonUp).toBeLessThan(10);
    expect(pingsBack).toBeLessThan(30);
    expect(await publicLink(now)).toBe("up");
    const listed = await rows();
    expect(listed.find((r) => r.id === old.id)).toMatchObject({ state: "Stopped", redundantstate: "UNKNOWN" });
    expect(listed.find((r) => r.id === now.id)).toMatchObject({ state: "Running", redundantstate: "PRIMARY" });
  });

  it("startRouter(old) brings it back as BACKUP without touching the PRIMARY's SA; a crash of the PRIMARY (failRouter) fails over as well", async () => {
    const primary = router.primary()!;
    const old = router.vms().find((v) => v.id !== primary.id)!;
    const spi = (await waitUp(vmOf(primary.id).vr, CONN, 5_000)).spiI;
    await cs.startRouter(client, old.id);
    await expectBackup(vmOf(old.id).view());
    expect(router.primary()?.id).toBe(primary.id);
    expect((await waitUp(vmOf(primary.id).vr, CONN, 5_000)).spiI).toBe(spi);
    // A crash CloudStack does not see: listRouters keeps it Running (redundantstate UNKNOWN); the survivor takes over.
    const t0 = performance.now();
    await router.failRouter(primary.id);
    const now = await router.waitForPrimary(15_000);
    const charonUp = (performance.now() - t0) / 1000;
    expect(now.id).toBe(old.id);
    expect((await rows()).find((r) => r.id === primary.id)).toMatchObject({ state: "Running", redundantstate: "UNKNOWN" });
    await waitUp(vmOf(now.id).vr, CONN, 30_000);
    await pingsCross(30_000);
    console.log(`[e2e] redundant failover after a crash: new PRIMARY's charon up ${charonUp.toFixed(2)} s; pings cross ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    expect(charonUp).toBeLessThan(10);
  });

  it("rebootRouter revives the crashed VM as BACKUP; rebootRouter(PRIMARY) fails over and the rebooted VM comes back as BACKUP", async () => {
    const crashed = router.vms().find((v) => v.redundantState === "UNKNOWN")!;
    await cs.rebootRouter(client, crashed.id);
    await expectBackup(vmOf(crashed.id).view());
    const primary = router.primary()!;
    const t0 = performance.now();
    await cs.rebootRouter(client, primary.id);
    const now = await router.waitForPrimary(15_000);
    expect(now.id).toBe(crashed.id);
    console.log(`[e2e] rebootRouter(PRIMARY) → new PRIMARY's charon up ${((performance.now() - t0) / 1000).toFixed(2)} s (from the reboot request)`);
    await expectBackup(vmOf(primary.id).view());
    await waitUp(vmOf(now.id).vr, CONN, 30_000);
    await pingsCross(30_000);
  });

  it("restartVPC cleanup=true re-creates both VMs (new ids, new host keys, same login key), one PRIMARY and one BACKUP, and the connection comes back", async () => {
    const before = router.vms();
    await cs.restartVpc(client, cloud.seededVpc.id, true);
    const after = router.vms();
    expect(after.map((v) => v.redundantState)).toEqual(["PRIMARY", "BACKUP"]);
    for (const [i, v] of after.entries()) {
      expect(before.map((b) => b.id)).not.toContain(v.id);
      expect(before.map((b) => b.access.hostKey)).not.toContain(v.access.hostKey);
      expect(v.access.privateKeyFile).toBe(before[i]!.access.privateKeyFile);
    }
    expect(new Set(after.map((v) => v.name)).size).toBe(2);
    expect(before.map((v) => v.name)).not.toContain(after[0]!.name);
    expect(await publicLink(after[0]!)).toBe("up");
    await expectBackup(after[1]!);
    await waitUp(vmOf(after[0]!.id).vr, CONN, 30_000);
    await pingsCross(30_000);
  });
});

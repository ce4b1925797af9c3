/**
 * Pushed dynamic peers through the router's life, on the local cloud's netns VR driven through its API (needs root).
 * Prints, as medians over ROUNDS:
 * 1. heal after reconfiguration: from the end of a CloudStack reconfiguration (createVpnConnection of a static peer,
 *    whose CsNetfilters pass deletes the push's rules) to (a) the own rules back (s2s-heal watcher) and (b) a branch
 *    that changed its address right then being ESTABLISHED again from the new address;
 * 2. heal after reboot: from the rebootRouter request (and from SSH answering again) to both pushed branches
 *    ESTABLISHED again, without any push;
 * 3. failover of a redundant VPC (two router VMs, peers pushed to both): from the stopRouter request of the PRIMARY
 *    to the new PRIMARY's charon running, and to both pushed branches ESTABLISHED on it (the old PRIMARY is then
 *    started again as BACKUP, and the next round stops the other VM).
 */
import { readFileSync } from "node:fs";
import * as cs from "../../provider/cloudstack";
import { startLocalCloud } from "../../provider/local-cloud";
import { NetnsRouter, type RouterVmView } from "../../provider/local-cloud/netns";
import type { SshAccessSpec } from "../../provider/model/gateway-access";
import { waitFor } from "../../provider/local-cloud/netns/exec";
import { upSa } from "../../provider/push/sa-status";
import { connectSshGateway, inspect, pushPeer, pushPeerToRouters, withRouters, type PushState, type SshGatewayHost } from "../../provider/push";
import { bagOf, dynamicSite, newPsk, peerRenderOf } from "../e2e/lab/sites";

const ROUNDS = 3;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]): string => `median ${(median(xs) / 1000).toFixed(2)} s (${xs.map((x) => (x / 1000).toFixed(2)).join(", ")})`;

async function main(): Promise<void> {
  const router = await NetnsRouter.create();
  const cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 5_000 });
  const client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 60_000 } });
  const connect = (): Promise<SshGatewayHost> => connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey: router.access.hostKey });
  let host = await connect();
  try {
    const sites = [0, 1].map((i) => dynamicSite({ name: `b${i}`, remoteId: `b${i}@example.com`, cidrList: [`192.168.${40 + i}.0/24`], allowedSourceCidrs: ["203.0.113.0/24"], psk: newPsk() }));
    let state!: PushState;
    for (const [i, s] of sites.entries()) {
      await router.addBranch({ name: `b${i}`, wanIp: `203.0.113.${30 + i}`, lanCidr: `192.168.${40 + i}.0/24` });
      state = (await pushPeer(host, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(s) })).state;
      router.writeCpeConfig(`b${i}`, peerRenderOf(s).files);
      await router.startCpe(`b${i}`);
    }
    const conn = (i: number): string => state.connections.find((c) => c.name.startsWith(`s2s-b${i}-example-com-`))!.name;
    const up = async (i: number, from?: string): Promise<boolean> => {
      const sa = upSa(await router.vr.sas(), conn(i));
      return sa !== undefined && (from === undefined || sa.remoteAddr === from);
    };
    for (const i of [0, 1]) await waitFor(`b${i} up`, () => up(i), { timeoutMs: 20_000 });

    // 1. reconfiguration
    const rulesBack: number[] = [];
    const branchBack: number[] = [];
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    for (let round = 0; round < ROUNDS; round++) {
      const cgw = await cs.createVpnCustomerGateway(client, { name: `dc${round}`, gateway: "203.0.113.99", cidrList: "172.16.0.0/20", ipsecPsk: newPsk(), ikePolicy: "aes256-sha256;modp2048", espPolicy: "aes256-sha256" });
      const c = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id });
      const t0 = performance.now();
      const moveTo = `203.0.113.${40 + round}`;
      await router.setWanIp("b0", moveTo);
      const healed = waitFor("rules back", async () => (await inspect(host, state)).firewall.length === 0, { timeoutMs: 30_000, intervalMs: 50 }).then(() => performance.now() - t0);
      await waitFor("b0 back from its new address", () => up(0, moveTo), { timeoutMs: 60_000, intervalMs: 50 });
      branchBack.push(performance.now() - t0);
      rulesBack.push(await healed);
      await cs.deleteVpnConnection(client, c.id);
      await cs.deleteVpnCustomerGateway(client, cgw.id);
      await waitFor("rules back after the removal", async () => (await inspect(host, state)).inSync, { timeoutMs: 30_000 });
    }
    await cs.deleteVpnGateway(client, vgw.id);
    console.log(`heal after reconfiguration: own rules back ${fmt(rulesBack)}; a branch that changed address then back ${fmt(branchBack)} (goal ≤ 5 s)`);

    // 2. reboot
    const fromRequest: number[] = [];
    const fromSsh: number[] = [];
    const routerId = (await cs.listRouters(client, { vpcId: cloud.seededVpc.id }))[0]!.id;
    for (let round = 0; round < ROUNDS; round++) {
      await host.close();
      const t0 = performance.now();
      await cs.rebootRouter(client, routerId);
      // rebootRouter's job ends after CloudStack's configuration; sshd answered before that: measure from a connect
      host = await connect();
      const tSsh = performance.now();
      for (const i of [0, 1]) await waitFor(`b${i} back after the reboot`, () => up(i), { timeoutMs: 120_000, intervalMs: 100 });
      fromRequest.push(performance.now() - t0);
      fromSsh.push(performance.now() - tSsh);
    }
    console.log(`heal after reboot: both pushed branches back ${fmt(fromRequest)} from the reboot request, ${fmt(fromSsh)} from SSH answering (goal ≤ 60 s)`);
  } finally {
    await host.close();
    client.close();
    await cloud.close();
    await router.close();
  }
  await failover();
}

async function failover(): Promise<void> {
  const router = await NetnsRouter.create({ redundant: true });
  const cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 5_000 });
  const client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 60_000 } });
  try {
    const [a, b] = router.vms() as [RouterVmView, RouterVmView];
    const ssh: SshAccessSpec = { host: a.access.sshHost, privateKey: readFileSync(a.access.privateKeyFile, "utf8"), hostKey: a.access.hostKey, secondRouter: { host: b.access.sshHost, hostKey: b.access.hostKey } };
    const sites = [0, 1].map((i) => dynamicSite({ name: `h${i}`, remoteId: `h${i}@example.com`, cidrList: [`192.168.${50 + i}.0/24`], allowedSourceCidrs: ["203.0.113.0/24"], psk: newPsk() }));
    let state!: PushState;
    const routers = await cs.listRouters(client, { vpcId: cloud.seededVpc.id });
    await withRouters(ssh, routers, async (set) => {
      for (const s of sites) state = (await pushPeerToRouters(set.targets(), { publicIp: a.access.publicIp, publicInterface: a.access.publicInterface, bag: bagOf(s) }, { pair: true }))[0]!.state;
    });
    for (const [i, s] of sites.entries()) {
      await router.addBranch({ name: `h${i}`, wanIp: `203.0.113.${50 + i}`, lanCidr: `192.168.${50 + i}.0/24` });
      router.writeCpeConfig(`h${i}`, peerRenderOf(s).files);
      await router.startCpe(`h${i}`);
    }
    const conn = (i: number): string => state.connections.find((c) => c.name.startsWith(`s2s-h${i}-example-com-`))!.name;
    const upOn = async (vm: RouterVmView, i: number) => upSa(await router.vmList.find((v) => v.routerId === vm.id)!.vr.sas(), conn(i)) !== undefined;
    let primary = await router.waitForPrimary(20_000);
    for (const i of [0, 1]) await waitFor(`h${i} up`, () => upOn(primary, i), { timeoutMs: 20_000 });
    const charon: number[] = [];
    const back: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const old = primary;
      const t0 = performance.now();
      await cs.stopRouter(client, old.id);
      primary = await router.waitForPrimary(30_000);
      charon.push(performance.now() - t0);
      for (const i of [0, 1]) await waitFor(`h${i} back on ${primary.name}`, () => upOn(primary, i), { timeoutMs: 60_000, intervalMs: 100 });
      back.push(performance.now() - t0);
      await cs.startRouter(client, old.id);
    }
    console.log(`failover (stopRouter of the PRIMARY): new PRIMARY's charon up ${fmt(charon)}; both pushed branches re-established on it ${fmt(back)} (goal ≤ 30 s)`);
  } finally {
    client.close();
    await cloud.close();
    await router.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * pushPeer against the local cloud's netns VR (real sshd, iptables, charon; branch CPEs in namespaces). Needs root.
 * 1. One dynamic peer: push → CPE `ipsec up` → INSTALLED, as a ratio to a bare `ipsec up` against a VR that already
 *    holds the peer, measured in the same run (goal ≤ 1.5×), with the push's own step timings (where the time goes).
 * 2. 20 live tunnels, one peer changed with pushPeer: how many of the other 19 tunnels were disturbed (IKE or CHILD
 *    SPIs changed, or SA gone; goal 0), and ping loss on three of them during the change.
 */
import { readFileSync } from "node:fs";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import { ContinuousPing } from "../../provider/local-cloud/netns/ping";
import { waitFor } from "../../provider/local-cloud/netns/exec";
import { upSa } from "../../provider/push/sa-status";
import { connectSshGateway, pushDynamicPeers, pushPeer, type GatewayHost } from "../../provider/push";
import type { SiteSpec } from "../../provider/model/site";
import { bagOf, dynamicSite, peerRenderOf, tamperedPeer } from "../e2e/lab/sites";

const ROUNDS = 7;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const site = (i: number, cidrs?: string[]): SiteSpec =>
  dynamicSite({ name: `b${i}`, remoteId: `b${i}@example.com`, cidrList: cidrs ?? [`192.168.${20 + i}.0/24`], allowedSourceCidrs: ["203.0.113.0/24"], psk: `bench-psk-${i}-0123456789-abcdefghij` });

async function onePeer(router: NetnsRouter, host: GatewayHost): Promise<void> {
  const s = site(0);
  const gw = { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface };
  await router.addBranch({ name: "b0", wanIp: "203.0.113.100", lanCidr: "192.168.20.0/24" });
  // The CPE waits for `ipsec up` (auto=add) instead of initiating at start, so both timings start at the same point.
  const cpeRender = tamperedPeer(peerRenderOf(s), { auto: "add" });
  router.writeCpeConfig("b0", cpeRender.files);
  await router.startCpe("b0");
  const cpe = router.cpe("b0");
  const conn = cpeRender.connections[0]!;
  const installed = async (): Promise<void> => {
    const r = await cpe.exec(["ipsec", "up", conn], { allowFail: true, timeoutMs: 20_000 });
    if (!upSa(await cpe.sas(), conn)) throw new Error(`CPE ${conn} not INSTALLED after ipsec up: ${r.stdout.slice(-300)}`);
  };
  const bare: number[] = [];
  const pushed: number[] = [];
  const pushOnly: number[] = [];
  const steps = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    // push → INSTALLED: the VR starts without the peer
    await pushPeer(host, { ...gw, bag: bagOf(s, false) });
    await cpe.exec(["ipsec", "down", conn], { allowFail: true });
    const t0 = performance.now();
    const r = await pushPeer(host, { ...gw, bag: bagOf(s) });
    const t1 = performance.now();
    await installed();
    pushed.push(performance.now() - t0);
    pushOnly.push(t1 - t0);
    for (const st of r.steps) steps.set(st.step, [...(steps.get(st.step) ?? []), st.ms]);
    // bare `ipsec up`: the VR already holds the peer
    await cpe.exec(["ipsec", "down", conn], { allowFail: true });
    const t2 = performance.now();
    await installed();
    bare.push(performance.now() - t2);
  }
  const ratio = median(pushed) / median(bare);
  console.log(`one dynamic peer, ${ROUNDS} rounds (medians): push → CPE INSTALLED ${median(pushed).toFixed(0)} ms; bare \`ipsec up\` → INSTALLED ${median(bare).toFixed(0)} ms; ratio ${ratio.toFixed(1)}× (goal ≤ 1.5×: ${ratio <= 1.5 ? "met" : "NOT met"})`);
  console.log(`  of which pushPeer itself ${median(pushOnly).toFixed(0)} ms; its steps: ${[...steps].map(([k, v]) => `${k} ${median(v).toFixed(0)}`).join(", ")}`);
  const t = performance.now();
  const probe = await host.exec("true");
  console.log(`  one SSH exec round trip (\`true\`): ${(performance.now() - t).toFixed(0)} ms (exit ${probe.code}); the push runs ~12 of them plus SFTP calls`);
}

async function twentyTunnels(router: NetnsRouter, host: GatewayHost): Promise<void> {
  const N = 20;
  const gw = { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface };
  const sites = Array.from({ length: N }, (_, k) => site(k + 1));
  for (let k = 1; k <= N; k++) await router.addBranch({ name: `b${k}`, wanIp: `203.0.113.${100 + k}`, lanCidr: `192.168.${20 + k}.0/24` });
  const t0 = performance.now();
  await pushDynamicPeers(host, { ...gw, bags: sites.map((s) => bagOf(s)) });
  console.log(`20 peers pushed in one transaction: ${(performance.now() - t0).toFixed(0)} ms`);
  for (let k = 1; k <= N; k++) router.writeCpeConfig(`b${k}`, peerRenderOf(sites[k - 1]!).files);
  await Promise.all(Array.from({ length: N }, (_, i) => router.startCpe(`b${i + 1}`)));
  const spis = async (): Promise<Map<string, string>> => new Map((await router.vr.sas()).filter((s) => s.state === "ESTABLISHED" && s.children.some((c) => c.state === "INSTALLED")).map((s) => [s.name.replace(/-g[0-9a-f]+$/, ""), `${s.spiI}/${s.children.find((c) => c.state === "INSTALLED")!.spiIn}`]));
  await waitFor("20 tunnels up", async () => (await spis()).size === N, { timeoutMs: 60_000 });
  const before = await spis();
  const pings = [2, 10, 20].map((k) => new ContinuousPing(router.topo.branch(`b${k}`).lan, router.guestHostIp, 0.05));
  await waitFor("pings flowing", () => pings.every((p) => p.replies() > 3), { timeoutMs: 10_000 });
  const changedBase = [...before.keys()].find((k) => k.startsWith("s2s-b1-example-com"))!;
  const t1 = performance.now();
  const r = await pushPeer(host, { ...gw, bag: bagOf(site(1, ["192.168.21.0/24", "192.168.121.0/24"])) });
  const pushMs = performance.now() - t1;
  await waitFor("the changed tunnel back up", async () => {
    const now = await spis();
    return now.has(changedBase) && now.get(changedBase) !== before.get(changedBase);
  }, { timeoutMs: 20_000 });
  const back = performance.now() - t1;
  await new Promise((res) => setTimeout(res, 1_000)); // let any late disturbance show in the pings and SAs
  const reports = await Promise.all(pings.map((p) => p.stop()));
  const after = await spis();
  const disturbed = [...before].filter(([k, v]) => k !== changedBase && after.get(k) !== v).map(([k]) => k);
  console.log(`20 live tunnels, one peer's CIDRs changed with pushPeer (${pushMs.toFixed(0)} ms, changed tunnel back in ${back.toFixed(0)} ms): tunnels disturbed ${disturbed.length} (goal 0)${disturbed.length ? `: ${disturbed.join(", ")}` : ""}; pings lost on 3 other tunnels during the change: ${reports.map((x) => x.lost.length).join(", ")} (of ${reports.map((x) => x.transmitted).join(", ")})`);
  if (r.warnings.length) console.log(`  warnings: ${r.warnings.join("; ")}`);
}

async function main(): Promise<void> {
  const router = await NetnsRouter.create();
  try {
    const t = performance.now();
    const host = await connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey: router.access.hostKey });
    console.log(`SSH connect (TCP + handshake + auth over the control link): ${(performance.now() - t).toFixed(0)} ms`);
    await onePeer(router, host);
    await twentyTunnels(router, host);
    await host.close();
  } finally {
    await router.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

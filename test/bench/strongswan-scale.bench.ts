/**
 * Non-disruption at scale: 20 live dynamic-peer tunnels under continuous ping; add a 21st, change #1 (ESP
 * lifetime), remove #2 with the renderer's command sequences. Prints how many of the 18 untouched tunnels lost
 * their IKE SA (SPIs changed or gone) or any ping (goal 0), and what happened to the changed and removed ones.
 */
import type { SiteSpec } from "../../provider/model/site";
import { waitLoaded, waitUp } from "../e2e/lab/checks";
import { waitFor } from "../e2e/lab/exec";
import { Lab } from "../e2e/lab/lab";
import { dynamicSite, newPsk, peerRenderOf, vrRenderOf } from "../e2e/lab/sites";
import { upSa } from "../e2e/lab/status";
import { ContinuousPing } from "../e2e/lab/traffic";

const LIVE = 20;
const b = (i: number) => ({ name: `t${i}`, wanIp: `203.0.113.${10 + i}`, lanCidr: `192.168.${100 + i}.0/24` });

async function main(): Promise<void> {
  const branches = Array.from({ length: LIVE + 1 }, (_, i) => b(i + 1));
  const t0 = performance.now();
  const lab = await Lab.create({ topology: { branches } });
  try {
    console.log(`data plane: ${lab.dataplane}; ${lab.topo.namespaces.length} namespaces built in ${(performance.now() - t0).toFixed(0)} ms`);
    const vr = await lab.startVr("stroke");
    const sites = new Map<string, SiteSpec>();
    const siteOf = (name: string, psk = newPsk(), extra?: Record<string, unknown>) =>
      dynamicSite({ name: `site-${name}`, remoteId: `${name}@example.com`, cidrList: [lab.topo.branch(name).spec.lanCidr], allowedSourceCidrs: ["203.0.113.0/25"], psk, ...(extra ? { extra } : {}) });
    const conn = (name: string) => vrRenderOf(sites.get(name)!).connections[0]!;
    const add = async (names: string[]) => {
      for (const n of names) {
        sites.set(n, siteOf(n));
        await lab.apply(vr, vrRenderOf(sites.get(n)!), `site-${n}`);
      }
      for (const n of names) await waitLoaded(vr, conn(n));
      await Promise.all(names.map((n) => lab.startCpe(n, (i) => peerRenderOf(sites.get(n)!).files.forEach((f) => i.writeFile(f.path, f.content, f.mode)))));
      for (const n of names) await waitUp(vr, conn(n), 20_000);
    };
    const live = branches.slice(0, LIVE).map((x) => x.name);
    await add(live);
    console.log(`${LIVE} tunnels up after ${(performance.now() - t0).toFixed(0)} ms`);
    const [changed, removed] = [live[0]!, live[1]!];
    const untouched = live.slice(2);
    const pings = new Map(untouched.map((n) => [n, new ContinuousPing(lab.topo.branch(n).lan, lab.topo.guestHostIp, 0.2)]));
    await waitFor("pings answered", () => [...pings.values()].every((p) => p.replies() >= 2), { timeoutMs: 10_000 });
    const before = await vr.sas();
    const spis = (sas: typeof before, n: string) => { const s = upSa(sas, conn(n)); return s && `${s.spiI}/${s.spiR}`; };

    const tOps = performance.now();
    await add([branches[LIVE]!.name]);
    const prev = sites.get(changed)!;
    sites.set(changed, siteOf(changed, prev.customerGateway.ipsecPsk as string, { espLifetime: 1800 }));
    await lab.apply(vr, vrRenderOf(sites.get(changed)!, { previous: prev }), `site-${changed}`);
    await lab.apply(vr, vrRenderOf(sites.get(removed)!, { create: false }), `site-${removed}`);
    const opsMs = performance.now() - tOps;
    const changedUp = await waitUp(vr, conn(changed), 10_000, (s) => s.spiI !== upSa(before, conn(changed))?.spiI).then(() => true, () => false);
    const removedLeft = await waitFor("removed SA gone", async () => !(await vr.sas()).some((s) => s.name === conn(removed)), { timeoutMs: 5_000 }).then(() => false, () => true);
    const after = await vr.sas();
    let lostSa = 0;
    let lostPing = 0;
    for (const n of untouched) {
      if (spis(after, n) !== spis(before, n)) lostSa++;
      if ((await pings.get(n)!.stop()).lost.length > 0) lostPing++;
    }
    console.log(`add+change+remove applied in ${opsMs.toFixed(0)} ms`);
    console.log(`untouched tunnels (${untouched.length}): ${lostSa} lost their IKE SA, ${lostPing} lost a ping (goal 0 and 0)`);
    console.log(`changed tunnel renegotiated: ${changedUp ? "yes" : "NO"}; removed tunnel's SA still up after 5 s: ${removedLeft ? "YES (defect)" : "no"}`);
  } finally {
    const left = await lab.destroy();
    console.log(`teardown: ${left.namespaces.length} namespaces, ${left.daemons.length} daemons left; total ${(performance.now() - t0).toFixed(0)} ms`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

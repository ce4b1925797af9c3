/**
 * Apply → ESTABLISHED: time from applying a rendered dynamic-peer VR change (files, firewall, the renderer's
 * commands, until charon has the connection) plus the CPE's `ipsec up`, to the CPE's CHILD_SA INSTALLED — as a
 * ratio to a bare `ipsec up` between the same two instances, measured in the same run. Goal ≤ 1.5×. Needs root.
 */
import { waitLoaded } from "../e2e/lab/checks";
import { waitFor } from "../e2e/lab/exec";
import { Lab } from "../e2e/lab/lab";
import { upSa } from "../e2e/lab/status";
import { dynamicSite, newPsk, peerRenderOf, tamperedPeer, vrRenderOf } from "../e2e/lab/sites";

const ROUNDS = 7;

async function main(): Promise<void> {
  const lab = await Lab.create({ topology: { branches: [{ name: "b", wanIp: "203.0.113.20", lanCidr: "192.168.10.0/24" }] } });
  try {
    console.log(`data plane: ${lab.dataplane} (${lab.dataplaneReason})`);
    const site = dynamicSite({ name: "bench", remoteId: "bench@example.com", cidrList: ["192.168.10.0/24"], allowedSourceCidrs: ["203.0.113.0/24"], psk: newPsk() });
    const vr = await lab.startVr("stroke");
    // The CPE holds its rendered config but waits (auto=add), so each round starts from the same point.
    const cpe = await lab.startCpe("b", (i) => tamperedPeer(peerRenderOf(site), { auto: "add" }).files.forEach((f) => i.writeFile(f.path, f.content, f.mode)));
    const cpeConn = peerRenderOf(site).connections[0]!;
    const installed = async (): Promise<void> => {
      await waitFor("CPE INSTALLED", async () => upSa(await cpe.sas(), cpeConn), { timeoutMs: 10_000, intervalMs: 2 });
    };
    const bare: number[] = [];
    const applied: number[] = [];
    const parts: [number, number, number][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Applied: the VR has no connection for this peer until the rendered change lands.
      let t0 = performance.now();
      const render = vrRenderOf(site);
      await lab.apply(vr, render, site.name);
      const tApplied = performance.now();
      await waitLoaded(vr, render.connections[0]!);
      const tLoaded = performance.now();
      await cpe.exec(["ipsec", "up", cpeConn]);
      await installed();
      applied.push(performance.now() - t0);
      parts.push([tApplied - t0, tLoaded - tApplied, performance.now() - tLoaded]);
      // Bare: the same two instances, connection already loaded on both.
      await cpe.exec(["ipsec", "down", cpeConn]);
      t0 = performance.now();
      await cpe.exec(["ipsec", "up", cpeConn]);
      await installed();
      bare.push(performance.now() - t0);
      await cpe.exec(["ipsec", "down", cpeConn]);
      await lab.apply(vr, vrRenderOf(site, { create: false }), site.name);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [a, b] = [median(applied), median(bare)];
    console.log(`apply→INSTALLED median ${a.toFixed(1)} ms  (rounds: ${applied.map((x) => x.toFixed(0)).join(" ")})`);
    console.log(`bare ipsec up→INSTALLED median ${b.toFixed(1)} ms  (rounds: ${bare.map((x) => x.toFixed(0)).join(" ")})`);
    const mid = parts.map((_, i) => median(parts.map((p) => p[i as 0 | 1 | 2])));
    console.log(`  of which (medians): files+firewall+commands ${mid[0]!.toFixed(1)} ms, until charon has the conn ${mid[1]!.toFixed(1)} ms, ipsec up→INSTALLED ${mid[2]!.toFixed(1)} ms`);
    console.log(`ratio ${(a / b).toFixed(2)}× (goal ≤ 1.5×)`);
  } finally {
    const left = await lab.destroy();
    if (left.namespaces.length + left.daemons.length > 0) throw new Error(`bench left ${JSON.stringify(left)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * A swanctl-format gateway (renderSwanctl) serving two dynamic peers at once, loaded with the renderer's
 * `swanctl --load-all`. The INPUT allow-list rules come from renderVr for the same sites (renderSwanctl renders
 * none). Proves both peers are ESTABLISHED/INSTALLED (TUNNEL-in-UDP with libipsec), with traffic and counters both ways.
 */
import { beforeAll, expect, it } from "vitest";
import type { SiteSpec } from "../../provider/model/site";
import { pingBothWays, waitLoaded, waitUp } from "./lab/checks";
import type { Instance } from "./lab/instance";
import { dynamicSite, newPsk, peerRenderOf, swanctlRenderOf, vrRenderOf } from "./lab/sites";
import { upSa } from "./lab/status";
import { describeE2e, useLab } from "./lab/suite";

const PEERS = [
  { branch: "sw1", remoteId: "sw1@example.com", shownId: "sw1@example.com", wanIp: "203.0.113.41", lan: "192.168.21.0/24", nat: false },
  { branch: "sw2", remoteId: "@sw2.example.com", shownId: "sw2.example.com", wanIp: "203.0.113.62", lan: "192.168.22.0/24", nat: true },
] as const;

describeE2e("swanctl gateway with two dynamic peers (renderSwanctl)", () => {
  const lab = useLab({ branches: PEERS.map((p) => ({ name: p.branch, wanIp: p.wanIp, lanCidr: p.lan, nat: p.nat })) });
  const sites = new Map<string, SiteSpec>();
  let gw: Instance;

  beforeAll(async () => {
    gw = await lab().startVr("swanctl");
    for (const p of PEERS) {
      const s = dynamicSite({ name: `site-${p.branch}`, remoteId: p.remoteId, cidrList: [p.lan], allowedSourceCidrs: ["203.0.113.0/25"], psk: newPsk() });
      sites.set(p.branch, s);
      const render = swanctlRenderOf(s);
      await lab().apply(gw, { files: render.files, commands: render.commands });
      await lab().fw.reconcile(s.name, vrRenderOf(s).firewall);
      await waitLoaded(gw, render.connections[0]!);
    }
    await Promise.all(PEERS.map((p) => lab().startCpe(p.branch, (i) => peerRenderOf(sites.get(p.branch)!).files.forEach((f) => i.writeFile(f.path, f.content, f.mode)))));
  });

  it.each(PEERS)("$remoteId: INSTALLED TUNNEL-in-UDP, pings and counters both ways", async (p) => {
    const conn = swanctlRenderOf(sites.get(p.branch)!).connections[0]!;
    const before = await waitUp(gw, conn);
    expect(before.remoteId).toBe(p.shownId);
    expect(before.remoteAddr).toBe(p.wanIp);
    const child = before.children[0]!;
    expect(child.mode).toBe(lab().dataplane === "libipsec" ? "TUNNEL-in-UDP" : child.mode);
    const t = await pingBothWays(lab(), p.branch, 3);
    expect(t.guestToLan.received, t.guestToLan.output).toBe(3);
    expect(t.lanToGuest.received, t.lanToGuest.output).toBe(3);
    const after = upSa(await gw.sas(), conn)!.children.find((c) => c.spiIn === child.spiIn)!;
    expect(after.bytesIn).toBeGreaterThan(child.bytesIn);
    expect(after.bytesOut).toBeGreaterThan(child.bytesOut);
  });

  it("both peers are up at the same time, each on its own connection", async () => {
    const sas = await gw.sas();
    for (const p of PEERS) expect(upSa(sas, swanctlRenderOf(sites.get(p.branch)!).connections[0]!)?.remoteId).toBe(p.shownId);
  });
});

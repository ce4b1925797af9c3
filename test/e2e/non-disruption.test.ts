/**
 * Changing a live VR with the renderer's own command sequence: with four tunnels under continuous ping, add a
 * fifth connection, change one and remove one. The untouched tunnels must keep their IKE SPIs and lose no ping;
 * the changed one must renegotiate with its new settings; the removed one's SA, files and rules must be gone.
 */
import { beforeAll, expect, it } from "vitest";
import type { SiteSpec } from "../../provider/model/site";
import { waitGone, waitLoaded, waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import type { Instance } from "./lab/instance";
import { dynamicSite, newPsk, peerRenderOf, vrRenderOf } from "./lab/sites";
import { upSa } from "./lab/status";
import { describeE2e, useLab } from "./lab/suite";
import { ContinuousPing, ping } from "./lab/traffic";

const N = [1, 2, 3, 4, 5].map((i) => ({ branch: `n${i}`, wanIp: `203.0.113.${16 * i + 1}`, allowed: `203.0.113.${16 * i}/28`, lan: `192.168.3${i}.0/24` }));
const [UNTOUCHED_A, UNTOUCHED_B, CHANGED, REMOVED, ADDED] = N as [typeof N[0], typeof N[0], typeof N[0], typeof N[0], typeof N[0]];

describeE2e("non-disruptive add / change / remove on a live VR", () => {
  const lab = useLab({ branches: N.map((n) => ({ name: n.branch, wanIp: n.wanIp, lanCidr: n.lan })) });
  const sites = new Map<string, SiteSpec>();
  const conn = (b: string): string => vrRenderOf(sites.get(b)!).connections[0]!;
  let vr: Instance;

  const siteFor = (n: typeof N[0], extra?: Record<string, unknown>, psk = newPsk()): SiteSpec =>
    dynamicSite({ name: `site-${n.branch}`, remoteId: `${n.branch}@example.com`, cidrList: [n.lan], allowedSourceCidrs: [n.allowed], psk, ...(extra ? { extra } : {}) });

  async function addSite(n: typeof N[0]): Promise<void> {
    const s = siteFor(n);
    sites.set(n.branch, s);
    await lab().apply(vr, vrRenderOf(s), s.name);
    await waitLoaded(vr, conn(n.branch));
    await lab().startCpe(n.branch, (i) => peerRenderOf(s).files.forEach((f) => i.writeFile(f.path, f.content, f.mode)));
    await waitUp(vr, conn(n.branch));
  }

  beforeAll(async () => {
    vr = await lab().startVr("stroke");
    for (const n of [UNTOUCHED_A, UNTOUCHED_B, CHANGED, REMOVED]) await addSite(n);
  });

  it("adds one, changes one, removes one: untouched tunnels keep SPIs and lose 0 pings", async () => {
    // GIVEN four live tunnels under continuous ping (10/s each), and the untouched ones' IKE SPIs
    const pings = new Map([UNTOUCHED_A, UNTOUCHED_B, CHANGED].map((n) => [n.branch, new ContinuousPing(lab().topo.branch(n.branch).lan, lab().topo.guestHostIp)]));
    await waitFor("continuous pings answered", () => [...pings.values()].every((p) => p.replies() >= 3), { timeoutMs: 5_000 });
    const sasBefore = await vr.sas();
    const spis = (sas: typeof sasBefore, b: string) => { const s = upSa(sas, conn(b)); return s && `${s.spiI}/${s.spiR}`; };
    const changedBefore = upSa(sasBefore, conn(CHANGED.branch))!;
    expect(changedBefore.children[0]!.rekeyInSeconds).toBeGreaterThan(1800);

    // WHEN a fifth connection is added
    await addSite(ADDED);
    // AND one is changed (ESP lifetime 3600 s → 1800 s), applied with `previous`
    const previous = sites.get(CHANGED.branch)!;
    const changed = siteFor(CHANGED, { espLifetime: 1800 }, previous.customerGateway.ipsecPsk as string);
    const change = vrRenderOf(changed, { previous });
    expect(change.commands).toContain(`ipsec down ${conn(CHANGED.branch)}`);
    await lab().apply(vr, change, changed.name);
    sites.set(CHANGED.branch, changed);
    // AND one is removed (create: false)
    const removedSite = sites.get(REMOVED.branch)!;
    const removal = vrRenderOf(removedSite, { create: false });
    await lab().apply(vr, removal, removedSite.name);

    // THEN the changed connection renegotiated (new IKE SPIs) with its new ESP lifetime
    const renewed = await waitUp(vr, conn(CHANGED.branch), 10_000, (s) => s.spiI !== changedBefore.spiI);
    expect(renewed.children[0]!.rekeyInSeconds).toBeLessThan(1800);
    // AND the added one carries traffic
    expect((await ping(lab().topo.branch(ADDED.branch).lan, lab().topo.guestHostIp, 3)).received).toBe(3);
    // AND the untouched tunnels kept their IKE SPIs and lost no ping — pinged across the whole change and for 10
    // more replies after it, so the window does not depend on how fast the apply was
    for (const n of [UNTOUCHED_A, UNTOUCHED_B]) {
      const p = pings.get(n.branch)!;
      const target = p.replies() + 10;
      await waitFor(`${n.branch}: 10 more ping replies after the change`, () => p.replies() >= target, { timeoutMs: 5_000 });
    }
    const sasAfter = await vr.sas();
    const reports = new Map<string, Awaited<ReturnType<ContinuousPing["stop"]>>>();
    for (const [b, p] of pings) reports.set(b, await p.stop());
    for (const n of [UNTOUCHED_A, UNTOUCHED_B]) {
      expect(spis(sasAfter, n.branch), n.branch).toBe(spis(sasBefore, n.branch));
      expect(reports.get(n.branch)!.transmitted).toBeGreaterThan(10);
      expect(reports.get(n.branch)!.lost, `${n.branch} lost pings`).toEqual([]);
    }
    console.log(`[e2e] non-disruption: changed tunnel lost ${reports.get(CHANGED.branch)!.lost.length} of ${reports.get(CHANGED.branch)!.transmitted} pings while renegotiating`);
    // AND (checked last, so the checks above always run) the removed one's SA, files and firewall rules are gone, and it stays gone (its CPE keeps retrying)
    await waitGone(vr, conn(REMOVED.branch), 5_000);
    for (const f of removal.removeFiles) expect(vr.hasFile(f), f).toBe(false);
    expect(await lab().fw.rules("filter")).not.toContain(REMOVED.allowed);
    expect(await lab().fw.rules("mangle")).not.toContain(REMOVED.lan);
    const lost = await ping(lab().topo.branch(REMOVED.branch).lan, lab().topo.guestHostIp, 3);
    expect(lost.received).toBe(0);
    expect((await vr.sas()).some((s) => s.name === conn(REMOVED.branch))).toBe(false);
  });
});

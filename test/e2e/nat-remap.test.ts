/**
 * Issue 9 §5: a branch behind NAT whose public address is re-mapped (the CPE sees nothing). The router runs
 * `mobike=no` and follows the new address on the first authenticated packet from it, which is the branch's next DPD;
 * with the customer gateway's default 30 s DPD that took 31.5 s. Proves, with the product's default DPD on the router
 * (dpddelay=30s, dpdaction=clear: how it clears stale SAs, unchanged) and renderPeer's branch-side DPD for dynamic
 * peers (at most 5 s, BRANCH_DPD_DELAY_SECONDS; the rendered CPE config is used untouched), that the tunnel is back
 * from the new address within 10 s and traffic crosses both ways.
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import { BRANCH_DPD_DELAY_SECONDS } from "../../provider/model/defaults";
import { waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { bagOf, dynamicSite, newPsk, peerRenderOf } from "./lab/sites";
import { describeE2e } from "./lab/suite";

const BRANCH_DPD_SECONDS = BRANCH_DPD_DELAY_SECONDS;

describeE2e("NAT re-map of a dynamic branch: back within one branch-side DPD", { timeout: 90_000 }, () => {
  let router: NetnsRouter;
  const site = dynamicSite({ name: "site-nat", remoteId: "nat@example.com", cidrList: ["192.168.31.0/24"], allowedSourceCidrs: ["203.0.113.0/24"], psk: newPsk(), dpdDelaySeconds: 30 });

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId") });
    await router.addBranch({ name: "natb", wanIp: "203.0.113.60", lanCidr: "192.168.31.0/24", nat: true });
    await router.applySite2SiteVpn("vpc", bagOf(site));
  });

  afterAll(async () => {
    if (router) expect(await router.close(), "the router left namespaces or its control link behind").toEqual({ namespaces: [], controlLink: false });
  });

  it("the router follows the re-mapped NAT address within 10 s; its own DPD (30 s, clear) is unchanged", async () => {
    const rendered = peerRenderOf(site);
    const conf = rendered.files.find((f) => f.path.endsWith(".conf"))!.content;
    expect(conf).toMatch(new RegExp(`^ dpddelay=${BRANCH_DPD_SECONDS}s$`, "m")); // the site says 30 s; the branch renders ≤ 5 s
    router.writeCpeConfig("natb", rendered.files);
    await router.startCpe("natb");
    const name = await waitFor("the VR's SA for the branch", async () => (await router.vr.sas()).find((s) => s.name.startsWith("s2s-nat-example-com-"))?.name, { timeoutMs: 15_000 });
    await waitUp(router.vr, name, 15_000, (s) => s.remoteAddr === "203.0.113.60");
    const vrConf = (await router.vr.exec(["sh", "-c", "cat /etc/ipsec.d/s2s-nat-example-com-*.conf"])).stdout;
    expect(vrConf).toMatch(/dpddelay=30s/);
    expect(vrConf).toMatch(/dpdaction=clear/);
    // WHEN the NAT's public address is re-mapped
    const t0 = performance.now();
    await router.topo.setNatPublicIp("natb", "203.0.113.61");
    // THEN the router's SA is reached from the new address within one branch-side DPD, and traffic flows
    await waitUp(router.vr, name, 15_000, (s) => s.remoteAddr === "203.0.113.61");
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[e2e] NAT re-map: router followed the branch to 203.0.113.61 in ${seconds.toFixed(2)} s (branch dpddelay=${BRANCH_DPD_SECONDS}s, router dpddelay=30s)`);
    expect(seconds).toBeLessThan(10);
    await waitFor("branch LAN → guest", async () => (await router.ping("natb", router.guestHostIp, 1)).received === 1, { timeoutMs: 5_000 });
    expect((await router.ping("natb", router.guestHostIp, 3)).received).toBe(3);
    expect((await router.ping("guest", router.topo.branch("natb").lanHostIp, 3)).received).toBe(3);
  });
});

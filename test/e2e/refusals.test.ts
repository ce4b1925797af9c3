/**
 * What a VR configured from the renderers must refuse, each proven by the exact charon log line (the strings of
 * strongswan-netns.md §9) and by the absence of any tunnel. A control case first shows the same setup does connect
 * with the right settings, so every refusal below is caused by the one thing that differs.
 */
import { afterEach, beforeAll, expect, it } from "vitest";
import type { SiteSpec } from "../../provider/model/site";
import type { HostRender } from "../../provider/render/types";
import { waitLoaded, waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import type { Instance } from "./lab/instance";
import { dynamicSite, newPsk, peerRenderOf, tamperedPeer, vrRenderOf } from "./lab/sites";
import { describeE2e, useLab } from "./lab/suite";

const A_ID = "branch-a@example.com";

describeE2e("refusals by a VR configured from renderVr", () => {
  const lab = useLab({
    branches: [
      { name: "x", wanIp: "203.0.113.25", lanCidr: "192.168.11.0/24" },
      { name: "out", wanIp: "203.0.113.210", lanCidr: "192.168.11.0/24" },
    ],
  });
  let vr: Instance;
  let siteA: SiteSpec;
  let siteB: SiteSpec;
  let connA: string;
  let attempt = 0;
  let current: Instance | undefined;

  beforeAll(async () => {
    // GIVEN a VR with two dynamic peers, A and B, each with its own key, allowed from 203.0.113.0/25
    vr = await lab().startVr("stroke");
    siteA = dynamicSite({ name: "site-a", remoteId: A_ID, cidrList: ["192.168.11.0/24"], allowedSourceCidrs: ["203.0.113.0/25"], psk: newPsk() });
    siteB = dynamicSite({ name: "site-b", remoteId: "branch-b@example.com", cidrList: ["192.168.12.0/24"], allowedSourceCidrs: ["203.0.113.0/25"], psk: newPsk() });
    for (const s of [siteA, siteB]) {
      const render = vrRenderOf(s);
      await lab().apply(vr, render, s.name);
      await waitLoaded(vr, render.connections[0]!);
    }
    connA = vrRenderOf(siteA).connections[0]!;
  });

  /** Starts a CPE in `branch` with `config`, returns it with the VR log mark taken just before. */
  async function attempt_(branch: string, config: HostRender): Promise<{ cpe: Instance; mark: number }> {
    const mark = vr.logMark();
    const cpe = await lab().startInstance(`cpe-${branch}-${++attempt}`, lab().topo.branch(branch).cpe, "stroke", (i) => {
      for (const f of config.files) i.writeFile(f.path, f.content, f.mode);
    });
    current = cpe;
    return { cpe, mark };
  }

  // A CPE left running by a failed case would hold UDP 500/4500 in its namespace and silence the next case.
  afterEach(async () => {
    if (current && lab().instances.has(current.name)) await lab().stopInstance(current.name);
    current = undefined;
  });

  async function expectNoTunnel(cpe: Instance): Promise<void> {
    expect((await vr.sas()).filter((s) => s.name === connA && s.state === "ESTABLISHED")).toEqual([]);
    expect((await cpe.sas()).filter((s) => s.state === "ESTABLISHED")).toEqual([]);
  }

  it("control: A's own rendered CPE config connects from an allowed address", async () => {
    const { cpe } = await attempt_("x", peerRenderOf(siteA));
    await waitUp(cpe, peerRenderOf(siteA).connections[0]!);
    await waitUp(vr, connA);
    // Closed from the CPE (a DELETE the VR acknowledges at once), so no SA of A is left for the cases below.
    await cpe.exec(["ipsec", "down", peerRenderOf(siteA).connections[0]!]);
    await waitFor("VR to drop A's SA", async () => !(await vr.sas()).some((s) => s.name === connA), { timeoutMs: 5_000 });
  });

  it("refuses an unknown IKE ID", async () => {
    const other = dynamicSite({ name: "site-a", remoteId: "other@example.com", cidrList: ["192.168.11.0/24"], allowedSourceCidrs: ["203.0.113.0/25"], psk: siteA.customerGateway.ipsecPsk as string });
    const { cpe, mark } = await attempt_("x", peerRenderOf(other));
    await vr.waitForLog("looking for peer configs matching 198.51.100.10[vpn-198-51-100-10.s2s.invalid]...203.0.113.25[other@example.com]", { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("no matching peer config found", { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    await expectNoTunnel(cpe);
  });

  it("refuses A's ID with a wrong key", async () => {
    const { cpe, mark } = await attempt_("x", peerRenderOf(siteA, newPsk()));
    await vr.waitForLog(`tried 1 shared key for 'vpn-198-51-100-10.s2s.invalid' - '${A_ID}', but MAC mismatched`, { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    await expectNoTunnel(cpe);
  });

  it("refuses A's ID with B's key (secrets keyed by the peer ID alone)", async () => {
    const { cpe, mark } = await attempt_("x", peerRenderOf(siteA, siteB.customerGateway.ipsecPsk as string));
    // Only A's key is tried: with the VR's address in the selectors B's key would match too and be accepted.
    await vr.waitForLog(`tried 1 shared key for 'vpn-198-51-100-10.s2s.invalid' - '${A_ID}', but MAC mismatched`, { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]", { since: mark, timeoutMs: 5_000 });
    expect(vr.logSince(mark)).not.toMatch(/authentication of '.*' with pre-shared key successful/);
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    await expectNoTunnel(cpe);
  });

  it("refuses an IKEv1 attempt against the IKEv2-only dynamic-peer connection", async () => {
    const { cpe, mark } = await attempt_("x", tamperedPeer(peerRenderOf(siteA), { keyexchange: "ikev1" }));
    await vr.waitForLog("looking for an IKEv1 config for 198.51.100.10...203.0.113.25", { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("no IKE config found for 198.51.100.10...203.0.113.25, sending NO_PROPOSAL_CHOSEN", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received NO_PROPOSAL_CHOSEN error notify", { timeoutMs: 5_000 });
    await expectNoTunnel(cpe);
  });

  it("refuses an IKE proposal the connection does not list", async () => {
    const { cpe, mark } = await attempt_("x", tamperedPeer(peerRenderOf(siteA), { ike: "aes128-sha1-modp2048!" }));
    await vr.waitForLog("no acceptable ENCRYPTION_ALGORITHM found", { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("received proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048", { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", { since: mark, timeoutMs: 5_000 });
    await vr.waitForLog("generating IKE_SA_INIT response 0 [ N(NO_PROP) ]", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received NO_PROPOSAL_CHOSEN notify error", { timeoutMs: 5_000 });
    await expectNoTunnel(cpe);
  });

  it("drops a correct peer connecting from outside allowedSourceCidrs: drop counter rises, VR logs nothing", async () => {
    const drops = await lab().fw.counter();
    const { cpe, mark } = await attempt_("out", peerRenderOf(siteA));
    await cpe.waitForLog("retransmit 1 of request with message ID 0", { timeoutMs: 5_000 });
    await waitFor("ike-not-allowed drops", async () => (await lab().fw.counter()) >= drops + 2, { timeoutMs: 5_000 });
    expect(vr.logSince(mark)).not.toContain("203.0.113.210");
    expect(vr.logSince(mark)).not.toContain("received packet");
    await expectNoTunnel(cpe);
  });
});


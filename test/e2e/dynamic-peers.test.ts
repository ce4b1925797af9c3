/**
 * Dynamic-IP peers identified by IKE ID, against a real strongSwan VR configured ONLY from the project's renderers
 * (parseSite → siteToDataBag → renderVr), with CPEs configured from renderPeer. Proves, per ID type: the tunnel is
 * ESTABLISHED/INSTALLED on both ends, traffic crosses it both ways, the VR's byte counters grow both ways; then a
 * CPE's address change is followed with no VR change, and narrowing an allow-list cuts a connected peer.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import type { SiteSpec } from "../../provider/model/site";
import { pingBothWays, waitLoaded, waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import type { Instance } from "./lab/instance";
import { dynamicSite, newPsk, peerRenderOf, vrRenderOf } from "./lab/sites";
import { upSa } from "./lab/status";
import { describeE2e, useLab } from "./lab/suite";
import { ping } from "./lab/traffic";

const ALLOWED = ["203.0.113.0/25"];
const PEERS = [
  { branch: "mail", type: "email", remoteId: "branch1@example.com", shownId: "branch1@example.com", wanIp: "203.0.113.21", lan: "192.168.11.0/24", nat: false, allowed: ALLOWED },
  { branch: "fqdn", type: "fqdn", remoteId: "@branch2.example.com", shownId: "branch2.example.com", wanIp: "203.0.113.52", lan: "192.168.12.0/24", nat: true, allowed: ALLOWED },
  { branch: "dn", type: "dn", remoteId: "C=FR, O=Example, CN=branch3", shownId: "C=FR, O=Example, CN=branch3", wanIp: "203.0.113.23", lan: "192.168.13.0/24", nat: false, allowed: ALLOWED },
  // Its own source range, so narrowing it cannot be masked by another site's accept rule.
  { branch: "ipv4", type: "ipv4", remoteId: "192.0.2.44", shownId: "192.0.2.44", wanIp: "203.0.113.200", lan: "192.168.14.0/24", nat: false, allowed: ["203.0.113.192/26"] },
] as const;

describeE2e("dynamic peers (VR from renderVr, CPEs from renderPeer)", () => {
  const lab = useLab({ branches: PEERS.map((p) => ({ name: p.branch, wanIp: p.wanIp, lanCidr: p.lan, nat: p.nat })) });
  const sites = new Map<string, SiteSpec>();
  const conns = new Map<string, string>();
  let vr: Instance;

  beforeAll(async () => {
    // GIVEN a VR holding four dynamic-peer connections, each applied exactly as rendered
    vr = await lab().startVr("stroke");
    for (const p of PEERS) {
      const s = dynamicSite({ name: `site-${p.branch}`, remoteId: p.remoteId, cidrList: [p.lan], allowedSourceCidrs: [...p.allowed], psk: newPsk() });
      sites.set(p.branch, s);
      const render = vrRenderOf(s);
      conns.set(p.branch, render.connections[0]!);
      await lab().apply(vr, render, s.name);
    }
    for (const conn of conns.values()) await waitLoaded(vr, conn);
    // AND one CPE per branch running its rendered initiator config
    await Promise.all(PEERS.map((p) => lab().startCpe(p.branch, (cpe) => void peerRenderOf(sites.get(p.branch)!).files.forEach((f) => cpe.writeFile(f.path, f.content, f.mode)))));
  });

  it.each(PEERS)("$type ID ($remoteId): tunnel up both ends, pings both ways, byte counters grow both ways", async (p) => {
    const cpeConn = peerRenderOf(sites.get(p.branch)!).connections[0]!;
    await waitUp(lab().instance(`cpe-${p.branch}`), cpeConn);
    const before = await waitUp(vr, conns.get(p.branch)!);
    expect(before.remoteId).toBe(p.shownId);
    // Behind NAT the VR sees the NAT's public address, not the CPE's own.
    expect(before.remoteAddr).toBe(p.wanIp);

    const traffic = await pingBothWays(lab(), p.branch, 3);
    expect(traffic.guestToLan.received, traffic.guestToLan.output).toBe(3);
    expect(traffic.lanToGuest.received, traffic.lanToGuest.output).toBe(3);

    const after = upSa(await vr.sas(), conns.get(p.branch)!)!;
    const [c0, c1] = [before.children[0]!, after.children.find((c) => c.spiIn === before.children[0]!.spiIn)!];
    expect(c1.bytesIn).toBeGreaterThan(c0.bytesIn);
    expect(c1.bytesOut).toBeGreaterThan(c0.bytesOut);
  });

  it("follows a CPE whose WAN address changes: back within 5 s, VR config untouched", async () => {
    // GIVEN the email peer's tunnel is up, and a fingerprint of every VR config file
    const conn = conns.get("mail")!;
    await waitUp(vr, conn);
    const fingerprint = vrFingerprint(vr);
    // WHEN its ISP hands it a new address
    const t0 = performance.now();
    await lab().topo.setCpeWanIp("mail", "203.0.113.31");
    // THEN the VR holds an SA from the new address within 5 s, and traffic flows again
    const sa = await waitUp(vr, conn, 5_000, (s) => s.remoteAddr === "203.0.113.31");
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[e2e] dynamic IP: VR followed the CPE to ${sa.remoteAddr} in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(5);
    const r = await ping(lab().topo.branch("mail").lan, lab().topo.guestHostIp, 3);
    expect(r.received, r.output).toBe(3);
    expect(vrFingerprint(vr)).toBe(fingerprint);
  });

  it("narrowing an allow-list cuts a peer that is already connected from the removed range", async () => {
    // GIVEN the IPv4-ID peer is connected from 203.0.113.200 (allowed by 203.0.113.192/26)
    const b = lab().topo.branch("ipv4");
    await waitUp(vr, conns.get("ipv4")!);
    expect((await ping(b.lan, lab().topo.guestHostIp, 2)).received).toBe(2);
    const dropsBefore = await lab().fw.counter();
    // WHEN its allow-list is narrowed to 203.0.113.224/27 (which excludes it), applying the renderer's change
    const previous = sites.get("ipv4")!;
    const narrowed = dynamicSite({ name: previous.name, remoteId: "192.0.2.44", cidrList: ["192.168.14.0/24"], allowedSourceCidrs: ["203.0.113.224/27"], psk: previous.customerGateway.ipsecPsk as string });
    const change = vrRenderOf(narrowed, { previous });
    expect(change.commands.some((c) => c.startsWith("conntrack -D"))).toBe(true);
    await lab().apply(vr, change, narrowed.name);
    // THEN no accept rule for the old range is left, its packets hit the drop rule, and its traffic stops
    expect(await lab().fw.rules()).not.toContain("203.0.113.192/26");
    const cut = await ping(b.lan, lab().topo.guestHostIp, 5);
    expect(cut.received, cut.output).toBe(0);
    await waitFor("drop counter to rise", async () => (await lab().fw.counter()) > dropsBefore, { timeoutMs: 5_000 });
    // AND the other peers, still allowed, are untouched
    const other = await ping(lab().topo.branch("dn").lan, lab().topo.guestHostIp, 2);
    expect(other.received, other.output).toBe(2);
  });
});

/** Hash of every file in the VR's /etc/ipsec.d (names and contents). */
function vrFingerprint(vr: Instance): string {
  const dir = join(vr.dir, "etc", "ipsec.d");
  const h = createHash("sha256");
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest("hex");
}

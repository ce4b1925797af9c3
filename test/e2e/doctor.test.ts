/**
 * `doctor` against real failures: each case below breaks ONE thing between a VR configured from renderVr and a CPE
 * configured from renderPeer, lets real charons fail, and asserts that the offline doctor names the cause from each
 * side's own log (and the live doctor from the router itself where only it can see the cause). A healthy tunnel
 * must yield `established` and nothing else. The logs are the regression fixtures of test/doctor/fixtures.test.ts
 * (`*.charonlog`: `*.log` is git-ignored; rewrite them with S2S_DOCTOR_FIXTURES=write).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import { diagnoseLog, formatFindings } from "../../provider/doctor";
import { analyzeRouter, logSince } from "../../provider/doctor/live";
import { connectionHealth, statusExitCode } from "../../provider/doctor/status";
import { expectationOf } from "../../provider/doctor/expect";
import { readRouterView } from "../../provider/push/router-view";
import { labGatewayHost } from "./lab/lab-gateway-host";
import type { SiteSpec } from "../../provider/model/site";
import type { HostRender } from "../../provider/render/types";
import { waitLoaded, waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import type { Instance } from "./lab/instance";
import { newPsk, peerRenderOf, tamperedPeer, vrRenderOf } from "./lab/sites";
import { fixtureSite } from "../doctor/helpers";
import { describeE2e, useLab } from "./lab/suite";

const FIXTURES = join(__dirname, "..", "fixtures", "doctor");
const WRITE = process.env.S2S_DOCTOR_FIXTURES === "write";

/** The fixture site files (test/fixtures/doctor/sites), each with a fresh key unless it carries the fixture key. */
function labSite(name: string): SiteSpec {
  return fixtureSite(name, newPsk());
}

describeE2e("doctor names the cause of real failures (VR from renderVr, CPEs from renderPeer)", { timeout: 60_000 }, () => {
  const lab = useLab({
    branches: [
      { name: "x", wanIp: "203.0.113.25", lanCidr: "192.168.11.0/24" },
      { name: "out", wanIp: "203.0.113.210", lanCidr: "192.168.11.0/24" },
      { name: "nat", wanIp: "203.0.113.52", lanCidr: "192.168.15.0/24", nat: true },
    ],
  });
  let vr: Instance;
  const sites: Record<"a" | "ip" | "nosecret" | "nat", SiteSpec> = {} as never;
  let attempt = 0;
  let current: Instance | undefined;

  beforeAll(async () => {
    vr = await lab().startVr("stroke");
    sites.a = labSite("site-a");
    sites.ip = labSite("site-ip");
    sites.nosecret = labSite("site-nosecret");
    sites.nat = labSite("site-nat");
    for (const s of [sites.a, sites.ip, sites.nat]) await lab().apply(vr, vrRenderOf(s), s.name);
    // "Secret not loaded": the connection reaches charon (ipsec update) but its secrets file was never read.
    const ns = vrRenderOf(sites.nosecret);
    await lab().apply(vr, { ...ns, files: ns.files.filter((f) => f.path.endsWith(".conf")), commands: ["ipsec update"] }, sites.nosecret.name);
    for (const s of Object.values(sites)) await waitLoaded(vr, vrRenderOf(s).connections[0]!);
  });

  afterEach(async () => {
    if (current && lab().instances.has(current.name)) await lab().stopInstance(current.name);
    current = undefined;
  });

  async function start(branch: string, config: HostRender, forLive = false): Promise<{ cpe: Instance; mark: number }> {
    // Whole seconds: log stamps have second resolution and the live window reaches one second before t0
    // (sinceStart's +1), so t0 is the second boundary at least one full second after the previous case ended —
    // on a fast machine the previous case's last lines otherwise fall in that second.
    if (forLive) await new Promise((r) => setTimeout(r, 2000 - (Date.now() % 1000) + 50));
    t0 = Date.now();
    const mark = vr.logMark();
    const cpe = await lab().startInstance(`cpe-${branch}-${++attempt}`, lab().topo.branch(branch).cpe, "stroke", (i) => {
      for (const f of config.files) i.writeFile(f.path, f.content, f.mode);
    });
    current = cpe;
    return { cpe, mark };
  }

  function save(name: string, vrLog: string, cpeLog: string): { vr: string; peer: string } {
    if (WRITE) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(join(FIXTURES, `${name}.vr.charonlog`), vrLog);
      writeFileSync(join(FIXTURES, `${name}.peer.charonlog`), cpeLog);
    }
    return { vr: vrLog, peer: cpeLog };
  }

  function causes(text: string, side: "vr" | "peer", site?: SiteSpec): string[] {
    return [...new Set(diagnoseLog(text, { side, ...(site ? { site } : {}) }).findings.map((f) => f.cause))];
  }

  /** The live doctor on the VR: its status, log of the last `since` s, secrets' IDs and firewall counters. */
  async function live(s: SiteSpec, options: { since: number; watch?: number; peerAddress?: string; saveAs?: string }) {
    const view = await readRouterView(labGatewayHost(vr), { logPath: vr.logPath, sinceSeconds: options.since, watchSeconds: options.watch ?? 0 });
    if (WRITE && options.saveAs) {
      // Only the window the diagnosis reads, so the fixture stays small and replays the same way offline.
      const { sinceSeconds: _s, ...rest } = view;
      writeFileSync(join(FIXTURES, `${options.saveAs}.view.json`), `${JSON.stringify({ ...rest, log: logSince(view.log, view.routerTime!, options.since) }, null, 1)}\n`);
    }
    return analyzeRouter(view, s, options.peerAddress ? { peerAddress: options.peerAddress } : {});
  }
  const liveCauses = (d: { findings: { cause: string }[] }): string[] => [...new Set(d.findings.map((f) => f.cause))];
  const statusOf = async (s: SiteSpec) => connectionHealth((await vr.exec(["ipsec", "statusall"])).stdout, expectationOf(s));
  let t0 = 0;
  const sinceStart = (): number => Math.ceil((Date.now() - t0) / 1000) + 1;

  const cpeConn = (s: SiteSpec): string => peerRenderOf(s).connections[0]!;
  /** An IKE_SA left on the VR would be DPD-ed away during a later case and show up in its log window. */
  async function closeFromCpe(cpe: Instance, s: SiteSpec): Promise<void> {
    await cpe.exec(["ipsec", "down", cpeConn(s)]);
    await waitFor("VR to drop the SA", async () => !(await vr.sas()).some((x) => x.name === vrConn(s)), { timeoutMs: 5_000 });
  }
  const vrConn = (s: SiteSpec): string => vrRenderOf(s).connections[0]!;

  it("healthy tunnel: established and nothing else, from both sides", async () => {
    const { cpe, mark } = await start("x", peerRenderOf(sites.a), true);
    await waitUp(cpe, cpeConn(sites.a));
    await waitUp(vr, vrConn(sites.a));
    const health = await statusOf(sites.a);
    expect(health).toMatchObject([{ health: "healthy", ike: "ESTABLISHED", child: "INSTALLED", peerId: "branch-a@example.com", peerAddress: "203.0.113.25", mismatches: [] }]);
    expect(statusExitCode(health)).toBe(0);
    const d = await live(sites.a, { since: sinceStart(), saveAs: "healthy" });
    expect(liveCauses(d), formatFindings(d.findings, "text")).toEqual(["established"]);
    await cpe.exec(["ipsec", "down", cpeConn(sites.a)]);
    await waitFor("VR to drop A's SA", async () => !(await vr.sas()).some((s) => s.name === vrConn(sites.a)), { timeoutMs: 5_000 });
    const logs = save("healthy", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr", sites.a)).toEqual(["established"]);
    expect(causes(logs.peer, "peer", sites.a)).toEqual(["established"]);
  });

  it("wrong PSK on the branch: psk-mismatch on the VR; the branch sees auth-failed, psk-mismatch with --site", async () => {
    const { cpe, mark } = await start("x", peerRenderOf(sites.a, newPsk()));
    await vr.waitForLog("but MAC mismatched", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    const logs = save("psk-wrong", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr")).toEqual(["psk-mismatch"]);
    expect(causes(logs.peer, "peer")).toEqual(["auth-failed"]);
    expect(causes(logs.peer, "peer", sites.a)).toEqual(["psk-mismatch"]);
  });

  it("branch sends an ID the router does not know: id-mismatch on both sides", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { leftid: "other@example.com" }));
    await vr.waitForLog("no matching peer config found", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    const logs = save("id-wrong", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr")).toEqual(["id-mismatch"]);
    expect(causes(logs.peer, "peer", sites.a)).toEqual(["id-mismatch"]);
    expect(causes(logs.vr, "vr", sites.a)).toEqual(["id-mismatch"]);
  });

  it("branch sends the right text with the wrong ID type (FQDN 192.0.2.44 for IPv4 192.0.2.44): id-mismatch naming the type", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.ip), { leftid: "@192.0.2.44" }));
    await vr.waitForLog("no matching peer config found", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    const logs = save("id-type", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr", sites.ip)).toEqual(["id-mismatch"]);
    expect(causes(logs.peer, "peer", sites.ip)).toEqual(["id-mismatch"]);
  });

  it("branch expects another router ID: id-mismatch", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { rightid: "vr.example.com" }));
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    const logs = save("id-router", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr", sites.a)).toEqual(["id-mismatch"]);
    expect(causes(logs.peer, "peer", sites.a)).toEqual(["id-mismatch"]);
  });

  it("IKE proposal mismatch", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { ike: "aes128-sha1-modp2048!" }));
    await vr.waitForLog("received proposals unacceptable", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received NO_PROPOSAL_CHOSEN notify error", { timeoutMs: 5_000 });
    const logs = save("ike-proposal", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr")).toEqual(["ike-proposal-mismatch"]);
    expect(causes(logs.peer, "peer")).toEqual(["ike-proposal-mismatch"]);
  });

  it("ESP proposal mismatch", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { esp: "aes128-sha256-modp2048!" }));
    await vr.waitForLog("failed to establish CHILD_SA", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("NO_PROPOSAL_CHOSEN", { timeoutMs: 5_000 });
    const logs = save("esp-proposal", vr.logSince(mark), cpe.logSince());
    await closeFromCpe(cpe, sites.a);
    expect(causes(logs.vr, "vr")).toEqual(["esp-proposal-mismatch"]);
    expect(causes(logs.peer, "peer")).toEqual(["esp-proposal-mismatch"]);
  });

  it("PFS missing on the branch: the CHILD_SA comes up in IKE_AUTH, its rekey fails with esp-proposal-mismatch", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { esp: "aes256-sha256!" }));
    await waitUp(cpe, cpeConn(sites.a));
    await cpe.exec(["swanctl", "--rekey", "--child", cpeConn(sites.a)], { allowFail: true });
    await vr.waitForLog("no acceptable proposal found", { since: mark, timeoutMs: 5_000 });
    const logs = save("pfs", vr.logSince(mark), cpe.logSince());
    await closeFromCpe(cpe, sites.a);
    expect(causes(logs.vr, "vr")).toContain("esp-proposal-mismatch");
    expect(causes(logs.peer, "peer")).toContain("esp-proposal-mismatch");
  });

  it("traffic selector mismatch", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { leftsubnet: "192.168.99.0/24" }), true);
    await vr.waitForLog("unacceptable", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("TS_UNACCEPTABLE", { timeoutMs: 5_000 });
    const logs = save("ts", vr.logSince(mark), cpe.logSince());
    // Connected but no traffic: the IKE_SA is up, no CHILD_SA — status says degraded, the live doctor says why.
    const health = await statusOf(sites.a);
    expect(health[0]).toMatchObject({ health: "degraded", ike: "ESTABLISHED", child: "none" });
    expect(statusExitCode(health)).toBe(3);
    expect(liveCauses(await live(sites.a, { since: sinceStart(), saveAs: "ts" }))).toEqual(["ts-mismatch"]);
    await closeFromCpe(cpe, sites.a);
    expect(causes(logs.vr, "vr")).toEqual(["ts-mismatch"]);
    expect(causes(logs.peer, "peer")).toEqual(["ts-mismatch"]);
  });

  it("IKEv1 initiator against the IKEv2-only responder", async () => {
    const { cpe, mark } = await start("x", tamperedPeer(peerRenderOf(sites.a), { keyexchange: "ikev1" }));
    await vr.waitForLog("no IKE config found", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("NO_PROPOSAL_CHOSEN", { timeoutMs: 5_000 });
    const logs = save("ikev1", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr")).toEqual(["ikev1-not-allowed"]);
    expect(causes(logs.peer, "peer")).toEqual(["ikev1-not-allowed"]);
  });

  it("secret not loaded on the router: psk-missing", async () => {
    const { cpe, mark } = await start("x", peerRenderOf(sites.nosecret), true);
    await vr.waitForLog("no shared key found", { since: mark, timeoutMs: 5_000 });
    await cpe.waitForLog("received AUTHENTICATION_FAILED notify error", { timeoutMs: 5_000 });
    const logs = save("psk-missing", vr.logSince(mark), cpe.logSince());
    // Live, the router's own secrets files say it as well: no selector is the branch's ID.
    expect(liveCauses(await live(sites.nosecret, { since: sinceStart(), saveAs: "psk-missing" }))).toEqual(["psk-missing"]);
    expect(causes(logs.vr, "vr")).toEqual(["psk-missing"]);
    expect(causes(logs.peer, "peer")).toEqual(["auth-failed"]);
  });

  it("source outside the allow-list: the VR logs nothing, the branch sees no-response", async () => {
    const drops = await lab().fw.counter();
    const { cpe, mark } = await start("out", peerRenderOf(sites.a), true);
    await cpe.waitForLog("retransmit 2 of request with message ID 0", { timeoutMs: 8_000 });
    await waitFor("ike-not-allowed drops", async () => (await lab().fw.counter()) >= drops + 2, { timeoutMs: 5_000 });
    expect(vr.logSince(mark)).not.toContain("203.0.113.210");
    const logs = save("source-not-allowed", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr")).toEqual([]);
    expect(causes(logs.peer, "peer")).toEqual(["no-response"]);
    expect(causes(logs.peer, "peer", sites.a)).toEqual(["source-not-allowed"]);
    // Live, the router's log is silent; its drop counter moves and its allow-list counters do not.
    const blind = await live(sites.a, { since: sinceStart(), watch: 3, saveAs: "source-not-allowed" });
    expect(liveCauses(blind), formatFindings(blind.findings, "text")).toEqual(["source-not-allowed"]);
    const told = await live(sites.a, { since: sinceStart(), watch: 1, peerAddress: "203.0.113.210" });
    expect(told.findings[0]!.fix).toContain("Packets from 203.0.113.210 are dropped: not in allowedSourceCidrs (203.0.113.0/25)");
    expect(statusExitCode(told.health)).toBe(4);
  });

  it("branch killed after establishing: peer-gone on the VR via DPD", async () => {
    const { cpe, mark } = await start("x", peerRenderOf(sites.a), true);
    await waitUp(vr, vrConn(sites.a));
    await lab().stopInstance(cpe.name);
    await vr.waitForLog("giving up after", { since: mark, timeoutMs: 25_000 });
    const logs = save("peer-gone", vr.logSince(mark), cpe.logSince());
    expect(causes(logs.vr, "vr")).toEqual(["established", "peer-gone"]);
    const d = await live(sites.a, { since: sinceStart(), saveAs: "peer-gone" });
    expect(liveCauses(d)).toEqual(["peer-gone"]);
    expect(statusExitCode(d.health)).toBe(4);
  }, 40_000);

  it("branch behind a NAT router: established plus nat-detected, from both sides", async () => {
    const { cpe, mark } = await start("nat", peerRenderOf(sites.nat));
    await waitUp(cpe, cpeConn(sites.nat));
    await waitUp(vr, vrConn(sites.nat));
    const logs = save("nat", vr.logSince(mark), cpe.logSince());
    // kernel-libipsec fakes NAT-D on both ends ("remote host is behind NAT" without NAT): the router's log holds no
    // NAT signal a NAT-free tunnel lacks, so only the branch (whose own address is translated) can name it.
    expect(causes(logs.vr, "vr")).toEqual(["established"]);
    expect(causes(logs.peer, "peer")).toEqual(["established", "nat-detected"]);
  });
});

/**
 * The live diagnosis replayed offline: each *.view.json is what readRouterView read from the e2e lab's VR (status,
 * the log window, secrets' identities, two counted filter snapshots) during test/e2e/doctor.test.ts.
 */
import { describe, expect, it } from "vitest";
import { analyzeRouter, logSince, type RouterView } from "../../provider/doctor/live";
import { allowListCounters, parseCountedFilter } from "../../provider/doctor/firewall";
import { statusExitCode } from "../../provider/doctor/status";
import { parseSite } from "../../provider/model/site";
import { fixtureLog, fixtureSite } from "./helpers";

const view = (name: string): RouterView => JSON.parse(fixtureLog(`${name}.view.json`)) as RouterView;
const causes = (d: { findings: { cause: string }[] }): string[] => d.findings.map((f) => f.cause);

describe("live diagnosis over captured router views", () => {
  it("healthy: established only, status healthy (exit 0) with peer ID, address and moving counters", () => {
    const d = analyzeRouter(view("healthy"), fixtureSite("site-a"));
    expect(causes(d)).toEqual(["established"]);
    expect(d.health).toEqual([expect.objectContaining({ health: "healthy", ike: "ESTABLISHED", child: "INSTALLED", peerId: "branch-a@example.com", peerAddress: "203.0.113.25", mismatches: [] })]);
    expect(statusExitCode(d.health)).toBe(0);
  });

  it("IKE up without CHILD_SA: ts-mismatch from the log, status degraded (exit 3)", () => {
    const d = analyzeRouter(view("ts"), fixtureSite("site-a"));
    expect(causes(d)).toEqual(["ts-mismatch"]);
    expect(d.health[0]).toMatchObject({ health: "degraded", ike: "ESTABLISHED", child: "none" });
    expect(statusExitCode(d.health)).toBe(3);
  });

  it("secret not loaded: psk-missing, also from the secrets' identities alone", () => {
    expect(causes(analyzeRouter(view("psk-missing"), fixtureSite("site-nosecret")))).toEqual(["psk-missing"]);
    const silent = { ...view("psk-missing"), log: "" };
    const d = analyzeRouter(silent, fixtureSite("site-nosecret"));
    expect(causes(d)).toContain("psk-missing");
    expect(d.findings.find((f) => f.cause === "psk-missing")!.evidence.join("\n")).not.toContain("PSK");
  });

  it("silent log + drop counter moving + no allow-list packets: source-not-allowed; with --peer-address it names the address", () => {
    const d = analyzeRouter(view("source-not-allowed"), fixtureSite("site-a"));
    expect(causes(d)).toEqual(["source-not-allowed"]);
    expect(d.findings[0]!.evidence.join("\n")).toMatch(/IKE packets \(UDP 500\/4500\) were dropped/);
    expect(statusExitCode(d.health)).toBe(4);
    const told = analyzeRouter(view("source-not-allowed"), fixtureSite("site-a"), { peerAddress: "203.0.113.210" });
    expect(told.findings[0]!.fix).toContain("Packets from 203.0.113.210 are dropped: not in allowedSourceCidrs (203.0.113.0/25)");
  });

  it("silent log and no counter moving: no-response, not source-not-allowed", () => {
    const v = view("source-not-allowed");
    const d = analyzeRouter({ ...v, firewallAfter: v.firewallBefore }, fixtureSite("site-a"));
    expect(causes(d)).toEqual(["no-response"]);
  });

  it("a branch gone after establishing: peer-gone, status down (exit 4)", () => {
    const d = analyzeRouter(view("peer-gone"), fixtureSite("site-a"));
    expect(causes(d)).toEqual(["peer-gone"]);
    expect(statusExitCode(d.health)).toBe(4);
  });

  it("a site the router does not hold: no-ike-config, status down", () => {
    const stranger = parseSite({ name: "stranger", vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10" }, customerGateway: { peer: { type: "dynamic", remoteId: "nobody@example.com", allowedSourceCidrs: ["203.0.113.0/25"] }, cidrList: ["192.168.77.0/24"], ipsecPsk: { env: "X" } } }).site!;
    const d = analyzeRouter(view("healthy"), stranger);
    expect(causes(d)).toEqual(["no-ike-config"]);
    expect(statusExitCode(d.health)).toBe(4);
  });

  it("drift against the push's record is reported", () => {
    const d = analyzeRouter({ ...view("healthy"), drift: { inSync: false, problems: ["/etc/ipsec.d/s2s-x.conf: content"] } }, fixtureSite("site-a"));
    expect(causes(d)).toEqual(["established", "router-drift"]);
  });
});

describe("log window and counters", () => {
  it("logSince keeps the last N seconds by time of day, across midnight, in every stamp format", () => {
    const log = ["23:59:50.100 05[IKE] a", "Dec  2 23:59:58 vr charon: 05[IKE] b", "2026-12-03T00:00:03.5+00:00 vr charon: 05[IKE] c", "05[IKE] no stamp"].join("\n");
    expect(logSince(log, "00:00:05", 10).split("\n")).toEqual(["Dec  2 23:59:58 vr charon: 05[IKE] b", "2026-12-03T00:00:03.5+00:00 vr charon: 05[IKE] c", "05[IKE] no stamp"]);
  });

  it("identical accept rules of several sites are paired in order, so each keeps its own delta", () => {
    const rule = "-A S2S_DYN_IN -s 203.0.113.0/25 -d 198.51.100.10/32 -i eth1 -p udp -m udp --dport 500 -j ACCEPT";
    const before = parseCountedFilter(`*filter\n:INPUT DROP [5:0]\n[1:0] ${rule}\n[7:0] ${rule}\n[2:0] -A INPUT -i eth1 -p udp -m multiport --dports 500,4500 -j DROP\nCOMMIT\n`);
    const after = parseCountedFilter(`*filter\n:INPUT DROP [9:0]\n[1:0] ${rule}\n[10:0] ${rule}\n[6:0] -A INPUT -i eth1 -p udp -m multiport --dports 500,4500 -j DROP\nCOMMIT\n`);
    const c = allowListCounters(before, after);
    expect(c.accepts.map((a) => a.delta)).toEqual([0, 3]);
    expect(c.ikeDrops).toBe(4);
    expect(c.policyDrops).toBe(4);
  });
});

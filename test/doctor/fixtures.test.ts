/**
 * Offline regression over real charon logs (strongSwan 5.9.8, captured from the e2e lab by test/e2e/doctor.test.ts):
 * each failure is named from each side's own log, with the site comparison naming the field to change; healthy
 * logs yield `established` alone.
 */
import { describe, expect, it } from "vitest";
import { diagnoseLog, type Finding } from "../../provider/doctor";
import { fixtureLog, fixtureSite } from "./helpers";

const causes = (findings: Finding[]): string[] => findings.map((f) => f.cause);
const run = (log: string, site?: string, side?: "vr" | "peer") => diagnoseLog(fixtureLog(log), { ...(site ? { site: fixtureSite(site) } : {}), ...(side ? { side } : {}) });

describe("side detection", () => {
  it.each(["healthy", "psk-wrong", "ikev1", "nat"])("%s: the router's log is vr, the branch's is peer", (name) => {
    expect(run(`${name}.vr.charonlog`).side).toBe("vr");
    expect(run(`${name}.peer.charonlog`).side).toBe("peer");
  });
});

describe("each cause from each side", () => {
  const CASES: [log: string, site: string, withoutSite: string[], withSite: string[]][] = [
    ["healthy.vr.charonlog", "site-a", ["established"], ["established"]],
    ["healthy.peer.charonlog", "site-a", ["established"], ["established"]],
    ["psk-wrong.vr.charonlog", "site-a", ["psk-mismatch"], ["psk-mismatch"]],
    ["psk-wrong.peer.charonlog", "site-a", ["auth-failed"], ["psk-mismatch"]],
    ["psk-missing.vr.charonlog", "site-nosecret", ["psk-missing"], ["psk-missing"]],
    ["psk-missing.peer.charonlog", "site-nosecret", ["auth-failed"], ["psk-mismatch"]],
    ["id-wrong.vr.charonlog", "site-a", ["id-mismatch"], ["id-mismatch"]],
    ["id-wrong.peer.charonlog", "site-a", ["auth-failed"], ["id-mismatch"]],
    ["id-type.vr.charonlog", "site-ip", ["id-mismatch"], ["id-mismatch"]],
    ["id-type.peer.charonlog", "site-ip", ["auth-failed"], ["id-mismatch"]],
    ["id-router.vr.charonlog", "site-a", ["id-mismatch"], ["id-mismatch"]],
    ["id-router.peer.charonlog", "site-a", ["auth-failed"], ["id-mismatch"]],
    ["ike-proposal.vr.charonlog", "site-a", ["ike-proposal-mismatch"], ["ike-proposal-mismatch"]],
    ["ike-proposal.peer.charonlog", "site-a", ["ike-proposal-mismatch"], ["ike-proposal-mismatch"]],
    ["esp-proposal.vr.charonlog", "site-a", ["esp-proposal-mismatch"], ["esp-proposal-mismatch"]],
    ["esp-proposal.peer.charonlog", "site-a", ["esp-proposal-mismatch"], ["esp-proposal-mismatch"]],
    ["pfs.vr.charonlog", "site-a", ["established", "esp-proposal-mismatch"], ["established", "esp-proposal-mismatch"]],
    ["pfs.peer.charonlog", "site-a", ["established", "esp-proposal-mismatch"], ["established", "esp-proposal-mismatch"]],
    ["ts.vr.charonlog", "site-a", ["ts-mismatch"], ["ts-mismatch"]],
    ["ts.peer.charonlog", "site-a", ["ts-mismatch"], ["ts-mismatch"]],
    ["ikev1.vr.charonlog", "site-a", ["ikev1-not-allowed"], ["ikev1-not-allowed"]],
    ["ikev1.peer.charonlog", "site-a", ["ikev1-not-allowed"], ["ikev1-not-allowed"]],
    ["source-not-allowed.vr.charonlog", "site-a", [], []],
    ["source-not-allowed.peer.charonlog", "site-a", ["no-response"], ["source-not-allowed"]],
    ["peer-gone.vr.charonlog", "site-a", ["established", "peer-gone"], ["established", "peer-gone"]],
    ["nat.peer.charonlog", "site-nat", ["established", "nat-detected"], ["established", "nat-detected"]],
    // With kernel-libipsec both ends fake NAT-D ("remote host is behind NAT" even without NAT), so the router's
    // log holds no NAT signal that a NAT-free tunnel would not also show: doctor must not guess.
    ["nat.vr.charonlog", "site-nat", ["established"], ["established"]],
  ];
  it.each(CASES)("%s → %j, with --site %s → %j", (log, site, withoutSite, withSite) => {
    expect(causes(run(log).findings)).toEqual(withoutSite);
    expect(causes(run(log, site).findings)).toEqual(withSite);
  });
});

describe("what the findings say", () => {
  it("IKE proposals side by side with the first differing transform", () => {
    const [f] = run("ike-proposal.vr.charonlog").findings;
    expect(f!.detail).toEqual([
      "branch proposes (received)                           | router accepts (configured)",
      "IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048 | IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
      "first differing transform: encryption — branch AES_CBC_128, router AES_CBC_256",
    ]);
    expect(f!.field).toBe("customerGateway.ikePolicy");
  });

  it("the branch's side compares its IKE proposal with the site's ikePolicy", () => {
    const [f] = run("ike-proposal.peer.charonlog", "site-a").findings;
    expect(f!.detail).toContain("first differing transform: encryption — this side AES_CBC_128, site AES_CBC_256");
    expect(f!.detail!.join("\n")).toContain("IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
  });

  it("a PFS mismatch is named as the DH group at the CHILD_SA rekey", () => {
    const vr = run("pfs.vr.charonlog").findings.find((f) => f.cause === "esp-proposal-mismatch")!;
    expect(vr.detail).toContain("first differing transform: dh-group — branch none, router MODP_2048");
    const peer = run("pfs.peer.charonlog", "site-a").findings.find((f) => f.cause === "esp-proposal-mismatch")!;
    expect(peer.detail).toContain("first differing transform: dh-group — this side none, site MODP_2048");
    expect(peer.field).toBe("customerGateway.espPolicy");
  });

  it("an ESP cipher mismatch names the encryption transform", () => {
    const [f] = run("esp-proposal.vr.charonlog").findings;
    expect(f!.detail).toContain("first differing transform: encryption — branch AES_CBC_128, router AES_CBC_256");
  });

  it("a wrong ID shows both IDs with their types and names customerGateway.peer.remoteId", () => {
    const [f] = run("id-wrong.vr.charonlog", "site-a").findings;
    expect(f!.detail).toContain("branch sends (IDi): 'other@example.com' (ID_RFC822_ADDR as printed; charon does not log the type)");
    expect(f!.detail).toContain("site expects the branch: 'branch-a@example.com' (ID_RFC822_ADDR, customerGateway.peer.remoteId/remoteIdType)");
    expect(f!.field).toBe("customerGateway.peer.remoteId");
    expect(f!.fix).toContain("The branch sends 'other@example.com' but the site expects 'branch-a@example.com'");
  });

  it("the right text with the wrong type is named as a type problem, from both sides", () => {
    const [vr] = run("id-type.vr.charonlog", "site-ip").findings;
    expect(vr!.field).toBe("customerGateway.peer.remoteIdType");
    expect(vr!.fix).toContain("right text '192.0.2.44' with the wrong ID type");
    expect(vr!.fix).toContain("not @192.0.2.44");
    const [peer] = run("id-type.peer.charonlog", "site-ip").findings;
    expect(peer!.detail).toContain("this side sends: '192.0.2.44' (ID_FQDN)");
    expect(peer!.fix).toContain("as ID_FQDN but the site declares ID_IPV4_ADDR");
  });

  it("a branch expecting another router ID is told the router's ID", () => {
    const [vr] = run("id-router.vr.charonlog", "site-a").findings;
    expect(vr!.fix).toContain("expects the router's ID to be 'vr.example.com'");
    const [peer] = run("id-router.peer.charonlog", "site-a").findings;
    expect(peer!.fix).toContain("expects the router to be 'vr.example.com'");
  });

  it("a branch outside the allow-list is told so from its own log, with the field", () => {
    const [f] = run("source-not-allowed.peer.charonlog", "site-a").findings;
    expect(f!.fix).toContain("sends from 203.0.113.210, which is not in customerGateway.peer.allowedSourceCidrs (203.0.113.0/25)");
    expect(f!.field).toBe("customerGateway.peer.allowedSourceCidrs");
  });

  it("selectors: the unacceptable pair is shown with the site's declaration", () => {
    const [f] = run("ts.vr.charonlog", "site-a").findings;
    expect(f!.detail).toEqual(["the branch proposes: its side 192.168.99.0/24 ↔ router side 10.1.0.0/16", "site declares: cidrList 192.168.11.0/24 ↔ vpnGateway.vpcCidr 10.1.0.0/16"]);
    expect(f!.field).toBe("customerGateway.cidrList");
  });

  it("evidence lines are quoted exactly as logged", () => {
    const [f] = run("psk-wrong.vr.charonlog").findings;
    expect(fixtureLog("psk-wrong.vr.charonlog").split("\n")).toEqual(expect.arrayContaining(f!.evidence));
    expect(f!.evidence.some((e) => e.includes("but MAC mismatched"))).toBe(true);
  });
});

/**
 * The pure translation of the VR's firewall tuples into the push's own chains, and — on a real iptables 1.8.9
 * (nft) in a namespace this file creates — that the canonical form equals what iptables-save prints, that
 * `:CHAIN - [0:0]` under --noflush replaces a chain's rules and nothing else, and that restoreToSnapshot puts
 * back exactly what was there.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteToDataBag } from "../../provider/model/site";
import { canonicalRule, ownFirewall, parseOwnFirewall, restoreToSnapshot, restoreToTarget } from "../../provider/render/push-firewall";
import { renderVr } from "../../provider/render/vr";
import { dynamicSite, TEST_PSK } from "../helpers/sites";

const GW = { publicInterface: "eth1", publicIp: "198.51.100.10" };
const tuples = () => renderVr(siteToDataBag(dynamicSite({ cidrList: ["192.168.10.0/24", "192.168.11.0/24"] }), { create: true, psk: TEST_PSK })).firewall;

describe("ownFirewall (pure)", () => {
  it("moves every tuple into an own chain, in iptables-save form, de-duplicated", () => {
    const fw = ownFirewall([...tuples(), ...tuples()], GW);
    const chain = (name: string) => fw.chains.find((c) => c.chain === name)!;
    expect(chain("S2S_DYN_IN").rules).toEqual([
      "-A S2S_DYN_IN -s 203.0.113.0/24 -d 198.51.100.10/32 -i eth1 -p udp -m udp --dport 500 -j ACCEPT",
      "-A S2S_DYN_IN -s 203.0.113.0/24 -d 198.51.100.10/32 -i eth1 -p udp -m udp --dport 4500 -j ACCEPT",
      "-A S2S_DYN_IN -s 203.0.113.0/24 -d 198.51.100.10/32 -i eth1 -p esp -j ACCEPT",
    ]);
    expect(chain("S2S_DYN_IN").jump).toBe("-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN");
    expect(chain("S2S_DYN_NAT_POST").rules).toEqual(["-A S2S_DYN_NAT_POST -o eth1 -m mark --mark 0x525 -j ACCEPT"]);
    expect(chain("S2S_DYN_NAT_POST").jump).toBe("-A POSTROUTING -j S2S_DYN_NAT_POST");
    expect(chain("S2S_DYN_MANGLE_FWD").rules).toHaveLength(4);
    expect(chain("S2S_DYN_MANGLE_OUT").rules).toEqual(["-A S2S_DYN_MANGLE_OUT -s 10.1.0.0/16 -d 192.168.10.0/24 -j MARK --set-xmark 0x525/0xffffffff", "-A S2S_DYN_MANGLE_OUT -s 10.1.0.0/16 -d 192.168.11.0/24 -j MARK --set-xmark 0x525/0xffffffff"]);
  });

  it("omits a 0.0.0.0/0 address as iptables-save does", () => {
    expect(canonicalRule("-A INPUT -i eth1 -p esp -s 0.0.0.0/0 -d 198.51.100.10 -j ACCEPT", "X")).toBe("-A X -d 198.51.100.10/32 -i eth1 -p esp -j ACCEPT");
  });

  it.each([
    ["-A INPUT -j DROP", /target DROP/],
    ["-A INPUT -s 1.2.3.4 -j ACCEPT -m comment", /target ACCEPT|outside/],
    ["-A INPUT --foo 1 -j ACCEPT", /option --foo/],
    ["-A INPUT -s 1.2.3 -j ACCEPT", /source "1\.2\.3"/],
  ])("fails when a rule is outside the pushed grammar: %s", (rule, why) => {
    expect(() => canonicalRule(rule)).toThrow(why);
  });

  it("fails when a tuple names a chain the push has no own chain for", () => {
    expect(() => ownFirewall([{ table: "filter", position: "", rule: "-A FORWARD -j ACCEPT" }], GW)).toThrow(/no own chain for table filter chain FORWARD/);
  });

  it("leaves a correct single jump alone and re-inserts a missing or duplicated one at the top", () => {
    const fw = ownFirewall(tuples(), GW);
    const none = parseOwnFirewall("*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n");
    expect(restoreToTarget(fw, none)).toContain("-I INPUT 1 -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN");
    const one = parseOwnFirewall("*filter\n:S2S_DYN_IN - [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN\nCOMMIT\n");
    expect(restoreToTarget(fw, one)).not.toMatch(/-[DI] INPUT .*S2S_DYN_IN/);
    const two = parseOwnFirewall("*filter\n-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN\n-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN\nCOMMIT\n");
    expect(restoreToTarget(fw, two).match(/-D INPUT/g)).toHaveLength(2);
  });
});

describe("own chains on a real iptables 1.8.9 (nft), in a test namespace", () => {
  const ns = `s2spush-fw${randomBytes(3).toString("hex")}`;
  const ipt = (args: string[], input?: string) => {
    const r = spawnSync("ip", ["netns", "exec", ns, ...args], { encoding: "utf8", input });
    if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const save = () => ipt(["iptables-save"]).split("\n").filter((l) => !l.startsWith("#")).join("\n");
  beforeAll(() => {
    spawnSync("ip", ["netns", "add", ns]);
    ipt(["iptables-restore"], "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -s 203.0.113.99/32 -p udp -m udp --dport 500 -j ACCEPT\nCOMMIT\n");
  });
  afterAll(() => {
    spawnSync("ip", ["netns", "del", ns]);
  });

  it("applies the target; iptables-save prints exactly the canonical rules and one jump per chain", () => {
    const fw = ownFirewall(tuples(), GW);
    ipt(["iptables-restore", "--noflush"], restoreToTarget(fw, parseOwnFirewall(save())));
    const got = parseOwnFirewall(save());
    for (const c of fw.chains) {
      expect(got.chains.find((x) => x.chain === c.chain)!.rules).toEqual(c.rules);
      expect(got.jumps.filter((j) => j.chain === c.chain).map((j) => j.rule)).toEqual([c.jump]);
    }
    expect(save()).toContain("-A INPUT -s 203.0.113.99/32 -p udp -m udp --dport 500 -j ACCEPT");
  });

  it("`:CHAIN - [0:0]` under --noflush replaces that chain's rules and leaves the rest of the table", () => {
    const before = save();
    ipt(["iptables-restore", "--noflush"], "*filter\n:S2S_DYN_IN - [0:0]\n-A S2S_DYN_IN -s 192.0.2.1/32 -j ACCEPT\nCOMMIT\n");
    const after = save();
    expect(after.split("\n").filter((l) => l.startsWith("-A S2S_DYN_IN"))).toEqual(["-A S2S_DYN_IN -s 192.0.2.1/32 -j ACCEPT"]);
    const others = (s: string) => s.split("\n").filter((l) => !l.includes("S2S_DYN_IN"));
    expect(others(after)).toEqual(others(before));
  });

  it("restoreToSnapshot puts back exactly what was there, including chains that did not exist", () => {
    const fresh = `${ns}b`;
    spawnSync("ip", ["netns", "add", fresh]);
    try {
      const run = (args: string[], input?: string) => spawnSync("ip", ["netns", "exec", fresh, ...args], { encoding: "utf8", input });
      run(["iptables-restore"], "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n");
      const read = () => run(["iptables-save"]).stdout.split("\n").filter((l) => !l.startsWith("#")).join("\n");
      const before = read();
      const snap = parseOwnFirewall(before);
      expect(run(["iptables-restore", "--noflush"], restoreToTarget(ownFirewall(tuples(), GW), snap)).status).toBe(0);
      expect(read()).not.toBe(before);
      const r = run(["iptables-restore", "--noflush"], restoreToSnapshot(snap, parseOwnFirewall(read())));
      expect(r.stderr).toBe("");
      // Own chains, jumps and positions are back exactly; the filter table is byte-identical. nft creates the nat
      // and mangle tables on first use and iptables-restore cannot delete a table, so they stay, empty, with
      // ACCEPT policies (no effect; a VR always has both tables anyway).
      expect(parseOwnFirewall(read())).toEqual(snap);
      const filter = (t: string) => t.split("*filter")[1]!.split("COMMIT")[0];
      expect(filter(read())).toBe(filter(before));
      expect(read().split("\n").filter((l) => l.startsWith("-A"))).toEqual(before.split("\n").filter((l) => l.startsWith("-A")));
    } finally {
      spawnSync("ip", ["netns", "del", fresh]);
    }
  });
});

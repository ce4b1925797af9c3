/**
 * The s2s-heal files as rendered (render/heal.ts): golden files for the script, the rules file and the strongSwan
 * start hook, and the properties the watcher relies on: the rules file holds exactly the push's own chains and
 * jumps (nothing wider), deterministic bytes for the same firewall, owned names and modes, and status parsing.
 * The script itself is run for real in test/push/heal-script.test.ts and test/e2e/router-life.test.ts.
 */
import { describe, expect, it } from "vitest";
import { HEAL_PATHS, HEAL_VERSION, healRulesText, parseHealStatus, renderHeal } from "../../provider/render/heal";
import { ownFirewall } from "../../provider/render/push-firewall";

const fw = ownFirewall(
  [
    { table: "filter", position: "front", rule: "-A INPUT -i eth1 -p udp -m udp --dport 500 -s 203.0.113.16/28 -d 198.51.100.10 -j ACCEPT" },
    { table: "filter", position: "front", rule: "-A INPUT -i eth1 -p esp -s 203.0.113.16/28 -d 198.51.100.10 -j ACCEPT" },
    { table: "nat", position: "front", rule: "-A POSTROUTING -t nat -o eth1 -m mark --mark 0x525 -j ACCEPT" },
    { table: "mangle", position: "front", rule: "-A FORWARD -s 10.1.0.0/16 -d 192.168.11.0/24 -j MARK --set-xmark 0x525/0xffffffff" },
  ],
  { publicInterface: "eth1", publicIp: "198.51.100.10" },
);

describe("s2s-heal render", () => {
  it("matches the golden files", async () => {
    const [script, rules, starter] = renderHeal(fw);
    await expect(script!.content).toMatchFileSnapshot("./__golden__/s2s-heal.sh");
    await expect(rules!.content).toMatchFileSnapshot("./__golden__/s2s-heal.rules");
    await expect(starter!.content).toMatchFileSnapshot("./__golden__/s2s-heal.conf");
  });

  it("owned names and modes: script 0700, rules 0600 (not world-readable), hook 0644 in strongswan.d", () => {
    expect(renderHeal(fw).map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ["/etc/ipsec.d/s2s-heal.sh", "700"],
      ["/etc/ipsec.d/s2s-heal.rules", "600"],
      ["/etc/strongswan.d/s2s-heal.conf", "644"],
    ]);
    expect(HEAL_PATHS.every((p) => /\/s2s-heal\.(sh|rules|conf)$/.test(p))).toBe(true);
    // outside the globs strongSwan's ipsec.conf includes and CloudStack's ipsec.vpn-* glob
    expect(HEAL_PATHS.some((p) => /^\/etc\/ipsec\.d\/.*\.(conf|secrets)$/.test(p) || p.includes("ipsec.vpn-"))).toBe(false);
  });

  it("the rules file holds exactly the push's chains and jumps, and is versioned and deterministic", () => {
    const text = healRulesText(fw);
    const accepts = text.split("\n").filter((l) => l.startsWith("-A "));
    expect(accepts).toEqual(fw.chains.flatMap((c) => c.rules));
    expect(text.split("\n").filter((l) => l.startsWith("# s2s-jump "))).toEqual(fw.chains.map((c) => `# s2s-jump ${c.table} ${c.jump}`));
    expect(text.split("\n")[0]).toContain(`v${HEAL_VERSION}`);
    expect(healRulesText(fw)).toBe(text);
    expect(renderHeal(fw)[0]!.content).toContain(`VERSION=${HEAL_VERSION}`);
  });

  it("parses the watcher's status", () => {
    expect(parseHealStatus("version=1\nrunning=yes\npid=42\nheals=3\nlast=2026-12-02T12:00:00Z\nresult=ok\n")).toEqual({ version: 1, running: true, pid: 42, heals: 3, last: "2026-12-02T12:00:00Z", result: "ok" });
    expect(parseHealStatus("")).toEqual({ running: false, heals: 0 });
  });
});

/**
 * The s2s-heal watcher script (render/heal.ts) run for real: POSIX sh, flock, setsid, awk, iptables (nft) in a
 * throwaway network namespace with a private /run and /etc/ipsec.d (bind mounts), no strongSwan needed. Proves:
 * after a CsNetfilters-like pass deletes the own rules and jumps, the watcher puts back exactly the recorded rules
 * within ~1 s (nf_tables events), without moving any other rule; a stray jump (an old gateway address) and a duplicated jump are
 * cleaned; a widened own chain is narrowed back; `start` is idempotent (one watcher); status is reported; the
 * watcher ends by itself, leaving no runtime file, when the rules file is removed (the last peer went).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HEAL_STATUS_COMMAND, parseHealStatus, renderHeal } from "../../provider/render/heal";
import { ownFirewall, parseOwnFirewall } from "../../provider/render/push-firewall";
import { firewallProblems } from "../../provider/push/gateway-state";
import { describeE2e } from "../e2e/lab/suite";

const GW = { publicInterface: "eth1", publicIp: "198.51.100.10" };
const fw = ownFirewall(
  [
    { table: "filter", position: "front", rule: "-A INPUT -i eth1 -p udp -m udp --dport 500 -s 203.0.113.16/28 -d 198.51.100.10 -j ACCEPT" },
    { table: "filter", position: "front", rule: "-A INPUT -i eth1 -p esp -s 203.0.113.16/28 -d 198.51.100.10 -j ACCEPT" },
    { table: "nat", position: "front", rule: "-A POSTROUTING -t nat -o eth1 -m mark --mark 0x525 -j ACCEPT" },
    { table: "mangle", position: "front", rule: "-A FORWARD -s 10.1.0.0/16 -d 192.168.11.0/24 -j MARK --set-xmark 0x525/0xffffffff" },
  ],
  GW,
);
/** CloudStack's own rules, in an order the watcher must never change. */
const BASE = `*filter
:INPUT DROP [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -i eth1 -p udp -m multiport --dports 500,4500 -j DROP
COMMIT
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.1.0.0/16 -o eth1 -j MASQUERADE
COMMIT
`;

describeE2e("s2s-heal watcher script (real sh, flock, iptables in a namespace)", { timeout: 30_000 }, () => {
  const ns = `s2sheal${randomBytes(3).toString("hex")}`;
  const dir = join(tmpdir(), `${ns}-root`);
  const inNs = (command: string, input?: string) => {
    const mounts = `mount -n --bind "${dir}/run" /run && mount -n --bind "${dir}/ipsec.d" /etc/ipsec.d && mount -n --bind "${dir}/strongswan.d" /etc/strongswan.d || exit 97`;
    const r = spawnSync("ip", ["netns", "exec", ns, "sh", "-c", `${mounts}; ${command}`], { encoding: "utf8", input, timeout: 15_000 });
    return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
  const save = () => inNs("iptables-save").stdout;
  /** Command lines of the processes inside the namespace (the helper shells of inNs have ended). */
  const nsProcesses = (): string[] =>
    (spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).stdout ?? "").split("\n").filter(Boolean).map((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        return "";
      }
    }).filter(Boolean);
  const others = () => save().split("\n").filter((l) => l.startsWith("-A ") && !l.includes("S2S_DYN_"));
  const until = async (what: string, ok: () => boolean, ms: number): Promise<number> => {
    const t0 = performance.now();
    while (!ok()) {
      if (performance.now() - t0 > ms) throw new Error(`${what} not reached within ${ms} ms:\n${save()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return performance.now() - t0;
  };
  const healed = () => firewallProblems(parseOwnFirewall(save()), fw).length === 0;
  /** What CsNetfilters.compare does to rules it did not generate: deletes them (chains stay). */
  const reconcile = () => {
    const dels = save().split("\n").reduce<{ t: string; out: string[] }>((acc, l) => (l.startsWith("*") ? { ...acc, t: l } : l.startsWith("-A ") && l.includes("S2S_DYN_") && !l.startsWith("-A S2S_DYN_") ? { ...acc, out: [...acc.out, `${acc.t}\n${l.replace(/^-A/, "-D")}\nCOMMIT`] } : acc), { t: "", out: [] });
    const flush = fw.chains.map((c) => `*${c.table}\n-F ${c.chain}\nCOMMIT`);
    expect(inNs("iptables-restore --noflush", [...dels.out, ...flush].join("\n") + "\n").code).toBe(0);
  };

  beforeAll(() => {
    for (const d of ["run", "ipsec.d", "strongswan.d"]) mkdirSync(join(dir, d), { recursive: true, mode: 0o700 });
    expect(spawnSync("ip", ["netns", "add", ns]).status).toBe(0);
    expect(inNs("iptables-restore", BASE).code).toBe(0);
    for (const f of renderHeal(fw)) writeFileSync(join(dir, f.path.replace(/^\/etc\//, "")), f.content, { mode: f.mode });
  });

  afterAll(() => {
    inNs("p=$(cat /run/s2s-heal.pid 2>/dev/null) && kill $p");
    spawnSync("ip", ["netns", "del", ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("heals from nothing once, then a started watcher heals a reconciliation within ~1 s (nf_tables events), never moving CloudStack's rules", async () => {
    const before = others();
    expect(inNs("sh /etc/ipsec.d/s2s-heal.sh once").code).toBe(0);
    expect(healed()).toBe(true);
    // the jumps went to the top; CloudStack's own rules keep their relative order
    expect(others().filter((l) => !l.includes("S2S_DYN"))).toEqual(before);
    expect(inNs("sh /etc/ipsec.d/s2s-heal.sh start").code).toBe(0);
    expect(inNs("sh /etc/ipsec.d/s2s-heal.sh start").code).toBe(0); // idempotent
    const status = parseHealStatus(inNs(HEAL_STATUS_COMMAND).stdout);
    expect(status).toMatchObject({ version: 1, running: true });
    // one watcher: every process of it (the event reader is a child) in the one process group it leads
    const watchers = nsProcesses().filter((c) => c.includes("s2s-heal.sh watch"));
    expect(watchers.length).toBeGreaterThan(0);
    expect(inNs("ps -o pgid= -p \"$(pgrep -d, -f '[s]2s-heal.sh watch')\" | sort -u | wc -l").stdout.trim()).toBe("1");
    reconcile();
    expect(healed()).toBe(false);
    const ms = await until("own rules back", healed, 5_000);
    console.log(`[heal-script] reconciliation healed in ${ms.toFixed(0)} ms`);
    expect(others()).toEqual(before);
    expect(parseHealStatus(inNs(HEAL_STATUS_COMMAND).stdout)).toMatchObject({ running: true, result: "ok" });
  });

  it("never widens: an extra allow rule in an own chain, a stray jump and a duplicated jump are taken back out", async () => {
    const script = [
      "*filter",
      "-A S2S_DYN_IN -s 0.0.0.0/0 -p udp -m udp --dport 500 -j ACCEPT",
      `-A INPUT -d 192.0.2.1/32 -i eth1 -j S2S_DYN_IN`,
      `${fw.chains[0]!.jump.replace(/^-A INPUT/, "-I INPUT 3")}`,
      "COMMIT",
      "",
    ].join("\n");
    expect(inNs("iptables-restore --noflush", script).code).toBe(0);
    await until("exactly the recorded rules again", healed, 4_000);
    expect(save()).not.toContain("192.0.2.1");
    expect(save()).not.toMatch(/S2S_DYN_IN -p udp -m udp --dport 500 -j ACCEPT/);
  });

  it("ends by itself when the rules file is removed, leaving no runtime file", async () => {
    rmSync(join(dir, "ipsec.d", "s2s-heal.rules"));
    // every process of the watcher (its event reader, xtables-monitor, included) ends
    await until("watcher and event reader gone", () => nsProcesses().length === 0, 8_000);
    expect(inNs("ls -A /run").stdout.split("\n").filter((n) => n.startsWith("s2s-heal"))).toEqual([]);
    expect(parseHealStatus(inNs(HEAL_STATUS_COMMAND).stdout).running).toBe(false);
  });
});

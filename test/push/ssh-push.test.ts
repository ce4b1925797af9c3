/**
 * The push against a real gateway: sshd + iptables (nft) + strongSwan in a namespace this file creates (see
 * helpers/gateway-lab.ts). Proves what the brief asks of the transaction on real parts: files and modes, own
 * chains and the jump, the connection loaded in charon; a failure mid-way (rejected rule, dropped SSH connection)
 * leaves files, rules and loaded connections exactly as before; no secret in the process list or any history.
 */
import { describeE2e } from "../e2e/lab/suite";
import { historiesContaining, watchCommandLines } from "../helpers/secret-watch";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteToDataBag } from "../../provider/model/site";
import { applyPushPlan, inspect, planDynamicPeers, pushDynamicPeers, PushError, type GatewayHost, type PushState } from "../../provider/push";
import { dynamicConnectionName } from "../../provider/render/names";
import { dynamicSite } from "../helpers/sites";
import { GatewayLab } from "./helpers/gateway-lab";

const PSK = `pushtest-${randomBytes(16).toString("hex")}`;
const PSK2 = `pushtest-${randomBytes(16).toString("hex")}`;
const NAME = dynamicConnectionName("branch@example.com"); // names the files; connections add a generation suffix
const bag = (psk = PSK, cidrs = ["192.168.10.0/24"]) => siteToDataBag(dynamicSite({ cidrList: cidrs }), { create: true, psk });
const bag2 = () => siteToDataBag(dynamicSite({ peer: { type: "dynamic", remoteId: "@branch2.example.com", allowedSourceCidrs: ["192.0.2.0/24"] }, cidrList: ["192.168.20.0/24"] }, "branch-two"), { create: true, psk: PSK2 });
const input = (bags = [bag()], previous?: PushState) => ({ publicInterface: "eth1", publicIp: "198.51.100.10", bags, ...(previous ? { previous } : {}) });

let lab: GatewayLab;
let host: GatewayHost;

beforeAll(async () => {
  lab = await GatewayLab.start("p");
  host = await lab.connect();
}, 30_000);

afterAll(async () => {
  await host?.close();
  lab?.destroy();
});

// Real daemons on a 2-core machine, possibly next to other test files: generous per-test deadlines.
describeE2e("pushDynamicPeers over SSH (real sshd, iptables, charon)", { timeout: 60_000 }, () => {
  it("pushes a dynamic peer: files with their modes, own chains + one jump each, connection loaded; CloudStack's untouched", async () => {
    // GIVEN
    const before = lab.observe();
    // WHEN
    const result = await pushDynamicPeers(host, input());
    // THEN
    const after = lab.observe();
    expect(after.files[`${NAME}.conf`]).toMatch(/^644 #conn for/);
    expect(after.files[`${NAME}.secrets`]).toMatch(/^600 /);
    expect(after.files["ipsec.vpn-203.0.113.99.conf"]).toBe(before.files["ipsec.vpn-203.0.113.99.conf"]);
    expect(after.files["ipsec.vpn-203.0.113.99.secrets"]).toBe(before.files["ipsec.vpn-203.0.113.99.secrets"]);
    expect(Object.keys(after.files).filter((f) => f.startsWith("."))).toEqual([]);
    expect(after.iptables).toContain("-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN");
    expect(after.iptables).toContain("-A S2S_DYN_IN -s 203.0.113.0/24 -d 198.51.100.10/32 -i eth1 -p udp -m udp --dport 4500 -j ACCEPT");
    expect(after.iptables).toContain("-A S2S_DYN_MANGLE_FWD -s 10.1.0.0/16 -d 192.168.10.0/24 -j MARK --set-xmark 0x525/0xffffffff");
    expect(after.iptables.split("\n").filter((l) => l.endsWith("-j S2S_DYN_IN"))).toHaveLength(1);
    // CloudStack's own rules are all still there, in order, with our jump on top
    const filterInput = (save: string) => save.split("*filter")[1]!.split("COMMIT")[0]!.split("\n").filter((l) => l.startsWith("-A INPUT"));
    expect(filterInput(after.iptables)).toEqual(["-A INPUT -d 198.51.100.10/32 -i eth1 -j S2S_DYN_IN", ...filterInput(before.iptables)]);
    const status = lab.run(["ipsec", "statusall"]);
    expect(status).toMatch(new RegExp(`${NAME}-g[0-9a-f]{8}:\\s+remote: \\[branch@example.com\\]`));
    expect(status).toMatch(new RegExp(`${NAME}-g[0-9a-f]{8}:\\s+child:\\s+10.1.0.0/16 === 192.168.10.0/24 TUNNEL`));
    expect(status).toContain("vpn-203.0.113.99:");
    expect(result.changed).toBe(true);
    console.log(`push (connected host → verified): ${result.durationMs.toFixed(0)} ms; ${result.steps.map((s) => `${s.step} ${s.ms.toFixed(0)}`).join(", ")}`);
  });

  it("does nothing when the gateway already holds the state (changed=false, same hash)", async () => {
    const first = await pushDynamicPeers(host, input());
    const again = await pushDynamicPeers(host, input([bag()], first.state));
    expect(again.changed).toBe(false);
    expect(again.state.hash).toBe(first.state.hash);
  });

  it("fails when iptables-restore --test rejects a rule: step check-firewall, gateway exactly as before", async () => {
    const state = (await pushDynamicPeers(host, input())).state;
    const before = lab.observe();
    const plan = planDynamicPeers(input([bag(), bag2()], state));
    plan.firewall.chains[0]!.rules.push("-A S2S_DYN_IN -s 999.1.1.1/32 -j ACCEPT");
    const err = await applyPushPlan(host, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushError);
    expect((err as PushError).step).toBe("check-firewall");
    expect((err as PushError).restored).toBe(true);
    expect((err as Error).message).toMatch(/failed at step `check-firewall`.*999\.1\.1\.1.*restored/);
    expect(lab.observe()).toEqual(before);
  });

  it("fails when the real apply rejects a rule --test let through (unknown target): restored, exactly as before", async () => {
    const state = (await pushDynamicPeers(host, input())).state;
    const before = lab.observe();
    const plan = planDynamicPeers(input([bag(), bag2()], state));
    plan.firewall.chains[2]!.rules.push("-A S2S_DYN_MANGLE_FWD -j NO_SUCH_CHAIN");
    const err = (await applyPushPlan(host, plan).catch((e: unknown) => e)) as PushError;
    expect(err.step).toBe("firewall-apply");
    expect(err.restored).toBe(true);
    expect(lab.observe()).toEqual(before);
  });

  it("fails when the SSH connection drops during apply: reconnects, restores, exactly as before", async () => {
    const state = (await pushDynamicPeers(host, input())).state;
    const before = lab.observe();
    // Drop every SSH session of this gateway right when the push runs `ipsec update`: a real TCP/SSH drop.
    const realExec = host.exec.bind(host);
    let dropped = false;
    host.exec = async (command, options) => {
      if (command === "ipsec update" && !dropped) {
        dropped = true;
        for (const pid of lab.sessionPids()) process.kill(pid, "SIGKILL");
      }
      return realExec(command, options);
    };
    const err = await applyPushPlan(host, planDynamicPeers(input([bag(PSK, ["192.168.12.0/24"]), bag2()], state)))
      .then(() => undefined, (e: unknown) => e as PushError)
      .finally(() => (host.exec = realExec)) as PushError;
    expect(dropped).toBe(true);
    expect(err).toBeInstanceOf(PushError);
    expect(err.step).toBe("reload");
    expect(err.message).toMatch(/connection dropped.*was restored/);
    expect(err.restored).toBe(true);
    expect(lab.observe()).toEqual(before);
  });

  it("never shows a PSK in the process list during a push, nor in any shell history", async () => {
    const fresh = `pushtest-${randomBytes(16).toString("hex")}`;
    const { scans, seen } = await watchCommandLines(fresh, () => pushDynamicPeers(host, input([bag(fresh), bag2()])));
    expect(scans).toBeGreaterThan(3);
    expect(seen).toBe("");
    expect(lab.run(["cat", `/etc/ipsec.d/${NAME}.secrets`])).toContain(fresh); // the key did land, in the 0600 file only
    expect(historiesContaining(fresh, ["/root", lab.dir])).toEqual([]);
  });

  it("a deleted jump rule is put back by the gateway's s2s-heal watcher; an edited file is drift inspect() reports; the next push repairs it", async () => {
    const { state } = await pushDynamicPeers(host, input([bag(), bag2()]));
    const clean = await inspect(host, state);
    expect(clean.inSync).toBe(true);
    expect(clean.heal).toMatchObject({ expected: true, running: true, problems: [] });
    // GIVEN drift made behind the push's back
    lab.run(["iptables", "-D", "INPUT", "-d", "198.51.100.10/32", "-i", "eth1", "-j", "S2S_DYN_IN"]);
    lab.run(["sh", "-c", `echo ' dpddelay=99s' >> /etc/ipsec.d/${NAME}.conf`]);
    // THEN the watcher restores the recorded jump by itself (firewall only: it never touches a file)
    const deadline = Date.now() + 10_000;
    let drift = await inspect(host, state);
    while (drift.firewall.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      drift = await inspect(host, state);
    }
    expect(drift.firewall).toEqual([]);
    expect(drift.heal.heals).toBeGreaterThanOrEqual(1);
    // AND inspect() reports the edited file
    expect(drift.inSync).toBe(false);
    expect(drift.actualHash).not.toBe(state.hash);
    expect(drift.files).toEqual([{ path: `/etc/ipsec.d/${NAME}.conf`, problem: "content" }]);
    expect(drift.sas.map((s) => s.connection).sort()).toEqual(state.connections.map((c) => c.name).sort());
    expect(drift.sas.every((s) => s.established === false)).toBe(true);
    const repaired = await pushDynamicPeers(host, input([bag(), bag2()], state));
    expect(repaired.changed).toBe(true);
    const after = await inspect(host, repaired.state);
    expect(after.inSync).toBe(true);
    expect(after.actualHash).toBe(repaired.state.hash);
  });

  it("removes a peer that left the desired set: files gone, rules gone, connection unloaded", async () => {
    const { state } = await pushDynamicPeers(host, input([bag(), bag2()]));
    const r = await pushDynamicPeers(host, input([bag()], state));
    const obs = lab.observe();
    const gone = dynamicConnectionName("@branch2.example.com");
    expect(Object.keys(obs.files).some((f) => f.startsWith(gone))).toBe(false);
    expect(obs.iptables).not.toContain("192.0.2.0/24");
    expect(obs.loaded.join("\n")).not.toContain(gone);
    expect((await inspect(host, r.state)).inSync).toBe(true);
  });
});

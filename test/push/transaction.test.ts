/**
 * The transaction's logic on a FakeGatewayHost: every step that can fail restores the gateway to the snapshot and
 * names the step; pushes to one gateway never interleave; the state hash is stable; peers that disappear are
 * removed. The same behaviours on real sshd/iptables/charon are in ssh-push.test.ts.
 */
import { describe, expect, it } from "vitest";
import { siteToDataBag } from "../../provider/model/site";
import { pushDynamicPeers, PushError, type PushState, type PushStep } from "../../provider/push";
import { dynamicSite } from "../helpers/sites";
import { FakeGatewayHost, type FakeFailure } from "./helpers/fake-gateway-host";

const PSK = "unit-test-psk-0123456789-abcdefghij";
const bag = (o: { cidrs?: string[]; sources?: string[]; psk?: string } = {}) =>
  siteToDataBag(dynamicSite({ cidrList: o.cidrs ?? ["192.168.10.0/24"], peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: o.sources ?? ["203.0.113.0/24"] } }), { create: true, psk: o.psk ?? PSK });
const bag2 = () => siteToDataBag(dynamicSite({ peer: { type: "dynamic", remoteId: "@two.example.com", allowedSourceCidrs: ["192.0.2.0/24"] }, cidrList: ["192.168.20.0/24"] }, "two"), { create: true, psk: PSK });
const input = (bags = [bag()], previous?: PushState) => ({ publicInterface: "eth1", publicIp: "198.51.100.10", bags, ...(previous ? { previous } : {}) });
const on = (prefix: string, extra: Partial<FakeFailure> = {}): FakeFailure => ({ match: (op) => op.startsWith(prefix), ...extra });

async function seeded(): Promise<{ host: FakeGatewayHost; state: PushState }> {
  const host = new FakeGatewayHost();
  const { state } = await pushDynamicPeers(host, input([bag(), bag2()]));
  return { host, state };
}

describe("pushDynamicPeers transaction (fake gateway)", () => {
  // Each change below touches files, rules and connections, so every step has something to undo.
  const change = (state: PushState) => input([bag({ cidrs: ["192.168.12.0/24"], sources: ["198.18.0.0/24"] })], state);

  it.each<[PushStep, FakeFailure]>([
    ["lock", on("hold")],
    ["snapshot", on("exec:iptables-save", { code: 1 })],
    ["upload", on("write:/etc/ipsec.d/.s2s-tmp-")],
    ["check-conf", on("read:/etc/ipsec.d/.s2s-tmp-", { sideEffect: (h) => [...h.files.keys()].filter((p) => p.includes(".s2s-tmp-")).forEach((p) => (h.files.get(p)!.content = Buffer.from("tampered"))) })],
    ["check-firewall", on("exec:iptables-restore -w 10 --noflush --test", { code: 2 })],
    ["rename", on("rename:/etc/ipsec.d/s2s-")],
    ["remove-files", on("remove:/etc/ipsec.d/s2s-two")],
    ["firewall-apply", on("exec:iptables-restore -w 10 --noflush", { code: 2, match: (op) => op === "exec:iptables-restore -w 10 --noflush" })],
    ["reload", on("exec:ipsec update", { code: 7 })],
    ["verify-firewall", on("exec:ipsec rereadsecrets", { sideEffect: (h) => h.tables.get("filter")!.set("S2S_DYN_IN", []) })],
    ["verify-files", on("exec:ipsec rereadsecrets", { sideEffect: (h) => (h.files.get([...h.files.keys()].find((p) => p.endsWith(".conf") && p.includes("/s2s-branch"))!)!.mode = 0o666) })],
    ["down-changed", on("exec:ipsec down", { code: 1 })],
    ["conntrack", on("exec:conntrack", { code: 1 })],
  ])("fails at step %s: restores the gateway exactly and names the step", async (step, failure) => {
    // GIVEN a gateway holding two peers
    const { host, state } = await seeded();
    const before = host.observe();
    host.failures.push(failure);
    // WHEN one peer changes and the other disappears, and the step fails
    const err = (await pushDynamicPeers(host, change(state)).catch((e: unknown) => e)) as PushError;
    // THEN
    expect(err).toBeInstanceOf(PushError);
    expect(err.step).toBe(step);
    expect(err.restored).toBe(true);
    expect(err.message).toMatch(new RegExp(`failed at step \`${step}\`.*restored`));
    expect(err.message).not.toContain(PSK);
    expect(host.observe()).toEqual(before);
    expect(host.lockHeld).toBe(false);
  });

  it("fails at step verify-connections when charon does not load the change, and restores", async () => {
    const { host, state } = await seeded();
    const before = host.observe();
    host.updateLoads = false;
    const err = (await pushDynamicPeers(host, change(state), { verifyTimeoutMs: 200 }).catch((e: unknown) => e)) as PushError;
    expect(err.step).toBe("verify-connections");
    expect(err.message).toMatch(/not loaded|loaded but not expected/);
    expect(err.restored).toBe(true);
    expect(host.observe()).toEqual(before);
  });

  it("says what the gateway was left with when the restore itself fails", async () => {
    const { host, state } = await seeded();
    host.failures.push(on("exec:ipsec update", { code: 7, times: 5 }));
    const err = (await pushDynamicPeers(host, change(state)).catch((e: unknown) => e)) as PushError;
    expect(err.step).toBe("reload");
    expect(err.restored).toBe(false);
    expect(err.message).toMatch(/RESTORE FAILED.*reload strongSwan.*ipsec update.*exited 7/);
  });

  it("fails when the input is not pushable, before touching the gateway (step render, names the field)", async () => {
    const host = new FakeGatewayHost();
    const err = (await pushDynamicPeers(host, { ...input(), publicIp: "198.51.100.11" }).catch((e: unknown) => e)) as PushError;
    expect(err.step).toBe("render");
    expect(err.message).toMatch(/`bags\[0\]\.local_public_ip` "198\.51\.100\.10" differs from `publicIp` 198\.51\.100\.11/);
    expect(host.log).toEqual([]);
  });

  it("serialises two pushes to the same gateway (in-process mutex + remote lock): no interleaving", async () => {
    const host = new FakeGatewayHost();
    await Promise.all([pushDynamicPeers(host, input([bag()])), pushDynamicPeers(host, input([bag(), bag2()]))]);
    expect(host.maxConcurrentLocks).toBe(1);
    // the second push's lock comes after the first push's last step
    const holds = host.log.map((op, i) => (op === "hold" ? i : -1)).filter((i) => i >= 0);
    expect(holds).toHaveLength(2);
    expect(host.log.slice(0, holds[1]).filter((op) => op === "exec:ipsec statusall").length).toBeGreaterThan(1);
  });

  it("serialises pushes through two connections to the same gateway identity", async () => {
    const a = new FakeGatewayHost("root@vr-1:3922");
    const b = new FakeGatewayHost("root@vr-1:3922");
    let inA = false;
    let overlap = false;
    let bEntered = false;
    a.failures.push({ match: (op) => op === "exec:ipsec update", sideEffect: () => (inA = true) });
    // B asks for its lock while A, past its reload, still holds its own: the two transactions overlap.
    b.failures.push({ match: (op) => op === "hold", sideEffect: () => ((bEntered = true), (overlap ||= inA && a.lockHeld)) });
    await Promise.all([pushDynamicPeers(a, input()), pushDynamicPeers(b, input())]);
    expect(bEntered && inA).toBe(true);
    expect(overlap).toBe(false);
  });

  it("returns the same hash for the same desired set, whatever the bag order, and a different one for a change", async () => {
    const h1 = (await pushDynamicPeers(new FakeGatewayHost(), input([bag(), bag2()]))).state;
    const h2 = (await pushDynamicPeers(new FakeGatewayHost(), input([bag2(), bag()]))).state;
    const h3 = (await pushDynamicPeers(new FakeGatewayHost(), input([bag({ cidrs: ["192.168.12.0/24"] }), bag2()]))).state;
    expect(h1.hash).toBe(h2.hash);
    expect(h1.hash).not.toBe(h3.hash);
    expect(JSON.stringify(h1)).not.toContain(PSK);
  });

  it("removes a peer that disappeared: files, rules, connection; terminates it only after it is unloaded", async () => {
    const { host, state } = await seeded();
    const r = await pushDynamicPeers(host, input([bag()], state));
    expect([...host.files.keys()].filter((p) => p.includes("s2s-two"))).toEqual([]);
    expect(host.save()).not.toContain("192.0.2.0/24");
    expect(host.loaded.map((c) => c.name).some((n) => n.startsWith("s2s-two"))).toBe(false);
    const update = host.log.lastIndexOf("exec:ipsec update");
    const down = host.log.findIndex((op) => op.startsWith("exec:ipsec down s2s-two"));
    expect(down).toBeGreaterThan(update);
    expect(r.state.peers.map((p) => p.connection)).toEqual([expect.stringMatching(/^s2s-branch-example-com-/)]);
  });

  it("terminates a peer whose key changed, and only that peer", async () => {
    const { host, state } = await seeded();
    host.log = [];
    await pushDynamicPeers(host, input([bag({ psk: "another-unit-test-psk-0123456789" }), bag2()], state));
    const downs = host.log.filter((op) => op.startsWith("exec:ipsec down"));
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatch(/s2s-branch-example-com-/);
  });
});

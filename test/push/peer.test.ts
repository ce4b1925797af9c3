/**
 * pushPeer on a FakeGatewayHost: one peer at a time, the other peers known only from the gateway's record. Proves
 * that two separate calls give what one complete push gives (chains, record, hash), that a call never rewrites or
 * ends another peer, that concurrent calls serialise and both land, that failures restore the record too, and that
 * the record holds no secret. The same on real sshd/charon with live SAs: test/e2e/push-peer.test.ts.
 */
import { describe, expect, it } from "vitest";
import { siteToDataBag } from "../../provider/model/site";
import { parseStateFile, pushDynamicPeers, pushPeer, PushError, STATE_PATH } from "../../provider/push";
import { dynamicSite } from "../helpers/sites";
import { FakeGatewayHost } from "./helpers/fake-gateway-host";

const PSK_A = "unit-test-psk-a-0123456789-abcdefghij";
const PSK_B = "unit-test-psk-b-0123456789-abcdefghij";
const bagA = (o: { cidrs?: string[]; create?: boolean; psk?: string } = {}) =>
  siteToDataBag(dynamicSite({ cidrList: o.cidrs ?? ["192.168.10.0/24"], peer: { type: "dynamic", remoteId: "a@example.com", allowedSourceCidrs: ["203.0.113.0/24"] } }, "peer-a"), { create: o.create ?? true, psk: o.psk ?? PSK_A });
const bagB = (o: { create?: boolean; sources?: string[] } = {}) =>
  siteToDataBag(dynamicSite({ cidrList: ["192.168.20.0/24"], peer: { type: "dynamic", remoteId: "@b.example.com", allowedSourceCidrs: o.sources ?? ["192.0.2.0/24"] } }, "peer-b"), { create: o.create ?? true, psk: PSK_B });
const gw = { publicInterface: "eth1", publicIp: "198.51.100.10" };
const filesOf = (host: FakeGatewayHost, part: string) => [...host.files].filter(([p]) => p.includes(part)).map(([p, f]) => [p, f.content.toString("base64"), f.mode]);

describe("pushPeer (fake gateway)", () => {
  it("two peers pushed by two calls hold exactly what one complete push of both holds (files, chains, record, hash)", async () => {
    // GIVEN one gateway fed peer by peer, another fed the complete set
    const byPeer = new FakeGatewayHost();
    await pushPeer(byPeer, { ...gw, bag: bagA() });
    const second = await pushPeer(byPeer, { ...gw, bag: bagB() });
    const complete = new FakeGatewayHost();
    const whole = await pushDynamicPeers(complete, { ...gw, bags: [bagA(), bagB()] });
    // THEN
    expect(second.state).toEqual(whole.state);
    expect(byPeer.save()).toBe(complete.save());
    expect(byPeer.observe().files).toEqual(complete.observe().files);
    expect(byPeer.loaded.map((c) => c.name).sort()).toEqual(whole.state.connections.map((c) => c.name).sort());
    expect(parseStateFile(byPeer.files.get(STATE_PATH)!.content)).toEqual(second.state);
    expect(byPeer.files.get(STATE_PATH)!.mode).toBe(0o600);
  });

  it("never rewrites another peer's files, and ends only the changed peer's SA", async () => {
    const host = new FakeGatewayHost();
    await pushPeer(host, { ...gw, bag: bagA() });
    await pushPeer(host, { ...gw, bag: bagB() });
    const bFiles = filesOf(host, "/s2s-b-example-com");
    host.log = [];
    // WHEN peer A's CIDRs change
    const r = await pushPeer(host, { ...gw, bag: bagA({ cidrs: ["192.168.10.0/24", "192.168.11.0/24"] }) });
    // THEN only A's files (and the record, and the heal watcher's copy of the changed rules) were uploaded, only A
    // was terminated; B is byte-identical
    const uploads = host.log.filter((op) => op.startsWith("write:")).map((op) => op.replace(/\.s2s-tmp-[0-9a-f]{12}-/, ""));
    expect(uploads.sort()).toEqual(["write:/etc/ipsec.d/s2s-a-example-com-" + r.state.peers[0]!.connection.slice(-8) + ".conf", `write:${STATE_PATH}`, "write:/etc/ipsec.d/s2s-heal.rules"].sort());
    expect(host.log.filter((op) => op.startsWith("exec:ipsec down")).every((op) => op.includes("s2s-a-example-com-"))).toBe(true);
    expect(host.log.some((op) => op.startsWith("exec:ipsec down"))).toBe(true);
    expect(filesOf(host, "/s2s-b-example-com")).toEqual(bFiles);
    expect(host.save()).toContain("192.168.11.0/24");
    expect(host.save()).toContain("192.0.2.0/24");
  });

  it("removes one peer (create: false): its files, rules and connection go; the other peer stays as it was", async () => {
    const host = new FakeGatewayHost();
    await pushPeer(host, { ...gw, bag: bagA() });
    await pushPeer(host, { ...gw, bag: bagB() });
    const bFiles = filesOf(host, "/s2s-b-example-com");
    host.log = [];
    const r = await pushPeer(host, { ...gw, bag: bagA({ create: false }) });
    expect(filesOf(host, "/s2s-a-example-com")).toEqual([]);
    expect(filesOf(host, "/s2s-b-example-com")).toEqual(bFiles);
    expect(host.save()).not.toContain("192.168.10.0/24");
    expect(host.save()).toContain("192.168.20.0/24");
    expect(host.loaded.map((c) => c.name).every((n) => n.startsWith("s2s-b-example-com-"))).toBe(true);
    expect(r.state.peers.map((p) => p.connection)).toEqual([expect.stringMatching(/^s2s-b-example-com-/)]);
    // A's source range is not shared, so its conntrack entries are flushed; B is never terminated
    expect(host.log.some((op) => op.startsWith("exec:conntrack -D") && op.includes("203.0.113.0"))).toBe(true);
    expect(host.log.some((op) => op.startsWith("exec:ipsec down s2s-b"))).toBe(false);
  });

  it("keeps the conntrack entries of a source range another peer still allows", async () => {
    const host = new FakeGatewayHost();
    await pushPeer(host, { ...gw, bag: bagA() });
    await pushPeer(host, { ...gw, bag: bagB({ sources: ["203.0.113.0/24"] }) });
    host.log = [];
    await pushPeer(host, { ...gw, bag: bagA({ create: false }) });
    expect(host.log.filter((op) => op.startsWith("exec:conntrack"))).toEqual([]);
  });

  it("serialises concurrent calls for two peers on one gateway; both land", async () => {
    const host = new FakeGatewayHost();
    const [ra, rb] = await Promise.all([pushPeer(host, { ...gw, bag: bagA() }), pushPeer(host, { ...gw, bag: bagB() })]);
    expect(host.maxConcurrentLocks).toBe(1);
    const record = parseStateFile(host.files.get(STATE_PATH)!.content)!;
    expect(record.peers).toHaveLength(2);
    expect([ra.state.peers.length, rb.state.peers.length].sort()).toEqual([1, 2]);
    expect(host.loaded.map((c) => c.name.replace(/-g[0-9a-f]{8}$/, "")).sort()).toEqual(record.peers.map((p) => p.connection).sort());
  });

  it("fails at step reload and restores everything, the gateway's record included", async () => {
    const host = new FakeGatewayHost();
    await pushPeer(host, { ...gw, bag: bagA() });
    const before = host.observe();
    host.failures.push({ match: (op) => op === "exec:ipsec update", code: 7 });
    const err = (await pushPeer(host, { ...gw, bag: bagB() }).catch((e: unknown) => e)) as PushError;
    expect(err).toBeInstanceOf(PushError);
    expect(err.step).toBe("reload");
    expect(err.restored).toBe(true);
    expect(host.observe()).toEqual(before);
  });

  it("leaves a drifted other peer untouched and says so, instead of failing", async () => {
    const host = new FakeGatewayHost();
    await pushPeer(host, { ...gw, bag: bagA() });
    const aConf = [...host.files.keys()].find((p) => p.includes("/s2s-a-example-com") && p.endsWith(".conf"))!;
    host.files.get(aConf)!.content = Buffer.concat([host.files.get(aConf)!.content, Buffer.from("# edited by hand\n")]);
    host.log = [];
    const r = await pushPeer(host, { ...gw, bag: bagB() });
    expect(r.warnings.join("\n")).toMatch(/s2s-a-example-com-[0-9a-f]{8}: its files on the gateway differ from the record; left untouched/);
    expect(host.files.get(aConf)!.content.toString()).toContain("# edited by hand");
    expect(host.log.some((op) => op.startsWith("exec:ipsec down"))).toBe(false);
  });

  it("fails at step snapshot when the gateway's record is corrupt, changing nothing", async () => {
    const host = new FakeGatewayHost();
    host.files.set(STATE_PATH, { content: Buffer.from("{not json"), mode: 0o600 });
    const before = host.observe();
    const err = (await pushPeer(host, { ...gw, bag: bagA() }).catch((e: unknown) => e)) as PushError;
    expect(err.step).toBe("snapshot");
    expect(err.message).toMatch(/s2s-state\.json on the gateway is not JSON.*push every dynamic peer of this gateway again.*nothing was changed/);
    expect(host.observe()).toEqual(before);
  });

  it("fails before touching the gateway when the bag is not a dynamic peer of this gateway (step render, names the field)", async () => {
    const host = new FakeGatewayHost();
    const err = (await pushPeer(host, { ...gw, publicIp: "198.51.100.11", bag: bagA() }).catch((e: unknown) => e)) as PushError;
    expect(err.step).toBe("render");
    expect(err.message).toMatch(/`bag\.local_public_ip` "198\.51\.100\.10" differs from `publicIp` 198\.51\.100\.11/);
    expect(host.log).toEqual([]);
  });

  it("keeps no secret in the gateway's record or the returned state", async () => {
    const host = new FakeGatewayHost();
    const r = await pushPeer(host, { ...gw, bag: bagA() });
    await pushPeer(host, { ...gw, bag: bagB() });
    const text = host.files.get(STATE_PATH)!.content.toString();
    for (const psk of [PSK_A, PSK_B]) {
      expect(text).not.toContain(psk);
      expect(JSON.stringify(r)).not.toContain(psk);
    }
  });

  it("a second identical call changes nothing (changed=false)", async () => {
    const host = new FakeGatewayHost();
    const first = await pushPeer(host, { ...gw, bag: bagA() });
    const again = await pushPeer(host, { ...gw, bag: bagA() });
    expect(again.changed).toBe(false);
    expect(again.state.hash).toBe(first.state.hash);
  });
});

/**
 * pushPeer against the local cloud's real virtual router (NetnsRouter: strongSwan, iptables, sshd on the link-local
 * control link, port 3922) with branch CPEs in namespaces, all driven through the real SSH push. Proves: a pushed
 * dynamic peer is reached by its IKE ID and carries traffic; peers pushed by separate (and concurrent) calls
 * coexist; a CIDR change renegotiates only that tunnel; a removal takes SA, files and rules and nothing else; a
 * push failing mid-way (rejected rule, dropped SSH) leaves the router exactly as before with live tunnels intact;
 * CloudStack's own reconfiguration (a static connection created through the API) deletes the push's rules as
 * CsNetfilters does, which the gateway's s2s-heal watcher restores by itself, while the tunnel stays up; a wrong host key
 * is refused; no PSK is visible in any process list or history; native dynamic peers (dynamic-peer API) work.
 */
import { historiesContaining, watchCommandLines } from "../helpers/secret-watch";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import * as cs from "../../provider/cloudstack";
import { startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { NetnsRouter } from "../../provider/local-cloud/netns";
import type { SiteSpec } from "../../provider/model/site";
import { connectSshGateway, inspect, parseStatusAll, pushPeer, PushError, type PushState, type SshGatewayHost, HostKeyMismatchError } from "../../provider/push";
import { dynamicConnectionName } from "../../provider/render/names";
import { waitGone, waitUp } from "./lab/checks";
import { waitFor } from "./lab/exec";
import { bagOf, dynamicSite, newPsk, peerRenderOf } from "./lab/sites";
import { namespacePids } from "./lab/cleanup";
import { describeE2e } from "./lab/suite";

const BRANCHES = {
  one: { wanIp: "203.0.113.21", lanCidr: "192.168.11.0/24", remoteId: "one@example.com", allowed: ["203.0.113.16/28"] },
  two: { wanIp: "203.0.113.5", lanCidr: "192.168.12.0/24", remoteId: "@two.example.com", allowed: ["203.0.113.0/28"] },
} as const;
type Branch = keyof typeof BRANCHES;
const STATIC_PEER = "203.0.113.99";

describeE2e("pushPeer to the local cloud's netns VR over SSH", () => {
  let router: NetnsRouter;
  let cloud: LocalCloud;
  let client: cs.CloudStackClient;
  let host: SshGatewayHost;
  const sites = new Map<string, SiteSpec>();
  let last: PushState;

  const site = (b: Branch, cidrs?: string[]): SiteSpec => {
    const s = dynamicSite({ name: `site-${b}`, remoteId: BRANCHES[b].remoteId, cidrList: cidrs ?? [BRANCHES[b].lanCidr], allowedSourceCidrs: [...BRANCHES[b].allowed], psk: (sites.get(b)?.customerGateway.ipsecPsk as string | undefined) ?? newPsk() });
    sites.set(b, s);
    return s;
  };
  const push = async (s: SiteSpec, create = true, on: SshGatewayHost = host) => {
    const r = await pushPeer(on, { publicIp: router.access.publicIp, publicInterface: router.access.publicInterface, bag: bagOf(s, create) });
    last = r.state;
    return r;
  };
  /** The peer's base name (its files; its connections add a generation), as the push derives it from the bag. */
  const base = (b: string): string => dynamicConnectionName(bagOf(sites.get(b)!).peer_id ?? "");
  const connOf = (b: Branch, state = last) => state.connections.find((c) => c.name.startsWith(`${base(b)}-g`))!.name;
  const ikeSpis = async (): Promise<Record<string, string>> => Object.fromEntries((await router.vr.sas()).filter((s) => s.state === "ESTABLISHED").map((s) => [s.name.replace(/-g[0-9a-f]+$/, ""), `${s.spiI}/${s.children[0]?.spiIn}`]));
  const connect = () => connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey: router.access.hostKey, connectTimeoutMs: 8_000 });
  /** Everything a push could touch on the router, for before/after equality. */
  const observe = async () => {
    const dir = join(router.vr.dir, "etc", "ipsec.d");
    const files = Object.fromEntries(readdirSync(dir).sort().map((f) => [f, `${(statSync(join(dir, f)).mode & 0o7777).toString(8)} ${readFileSync(join(dir, f), "utf8")}`]));
    const iptables = (await router.vr.exec(["iptables-save"])).stdout.split("\n").filter((l) => !l.startsWith("#")).map((l) => l.replace(/\[\d+:\d+\]/, "")).join("\n");
    const loaded = parseStatusAll((await router.vr.exec(["ipsec", "statusall"])).stdout).connections;
    return { files, iptables, loaded };
  };

  beforeAll(async () => {
    router = await NetnsRouter.create({ runId: inject("s2sRunId") });
    cloud = await startLocalCloud({ variant: "dynamic-peer", router, statusCheckIntervalMs: 2_000 });
    client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 30_000 } });
    host = await connect();
    for (const [name, b] of Object.entries(BRANCHES)) await router.addBranch({ name, wanIp: b.wanIp, lanCidr: b.lanCidr });
  });

  afterAll(async () => {
    await host?.close();
    client?.close();
    await cloud?.close();
    if (router) expect(await router.close(), "the router left namespaces or its control link behind").toEqual({ namespaces: [], controlLink: false });
  });

  it("pushes a dynamic peer; the branch CPE connects by its IKE ID and traffic flows both ways", async () => {
    // GIVEN the VR holds nothing of ours WHEN peer one is pushed and its CPE starts
    const r = await push(site("one"));
    expect(r.changed).toBe(true);
    router.writeCpeConfig("one", peerRenderOf(sites.get("one")!).files);
    await router.startCpe("one");
    // THEN the VR shows the SA under the pushed connection with the branch's ID, and pings cross both ways
    const sa = await waitUp(router.vr, connOf("one"));
    expect(sa.remoteId).toBe("one@example.com");
    expect(sa.remoteAddr).toBe(BRANCHES.one.wanIp);
    const lan = router.topo.branch("one").lanHostIp;
    await waitFor("guest → branch one", async () => (await router.ping("guest", lan, 1)).received === 1, { timeoutMs: 5_000 });
    expect((await router.ping("guest", lan, 3)).received).toBe(3);
    expect((await router.ping("one", router.guestHostIp, 3)).received).toBe(3);
    expect((await inspect(host, last)).inSync).toBe(true);
  });

  it("concurrent pushPeer calls for two peers (two SSH connections) serialise and both land; the first peer's SA is untouched", async () => {
    const before = await ikeSpis();
    const other = await connect();
    const three = dynamicSite({ name: "site-three", remoteId: "three@example.com", cidrList: ["192.168.13.0/24"], allowedSourceCidrs: ["203.0.113.32/28"], psk: newPsk() });
    try {
      const [a, b] = await Promise.all([push(site("two")), push(three, true, other)]);
      expect([a.state.peers.length, b.state.peers.length].sort()).toEqual([2, 3]);
    } finally {
      await other.close();
    }
    const record = JSON.parse((await router.vr.exec(["cat", "/etc/ipsec.d/s2s-state.json"])).stdout) as PushState;
    expect(record.peers.map((p) => p.connection).sort()).toEqual([base("one"), base("two"), dynamicConnectionName(bagOf(three).peer_id ?? "")].sort());
    router.writeCpeConfig("two", peerRenderOf(sites.get("two")!).files);
    await router.startCpe("two");
    await waitUp(router.vr, connOf("two", record));
    expect((await inspect(host, record)).inSync).toBe(true);
    expect((await ikeSpis())[base("one")]).toBe(before[base("one")]);
    // three has no CPE: remove it again, which must not disturb one or two
    await push(three, false);
    last = JSON.parse((await router.vr.exec(["cat", "/etc/ipsec.d/s2s-state.json"])).stdout) as PushState;
  });

  it("changing one peer's CIDRs renegotiates only that tunnel; the other keeps its SAs", async () => {
    const before = await ikeSpis();
    const oldConn = connOf("one");
    await push(site("one", [BRANCHES.one.lanCidr, "192.168.111.0/24"]));
    const newConn = connOf("one");
    expect(newConn).not.toBe(oldConn);
    const sa = await waitUp(router.vr, newConn, 15_000);
    expect(`${sa.spiI}`).not.toBe(before[base("one")]!.split("/")[0]);
    await waitGone(router.vr, oldConn);
    expect((await ikeSpis())[base("two")]).toBe(before[base("two")]);
    expect((await router.ping("one", router.guestHostIp, 2)).received).toBe(2);
  });

  it("a push that fails mid-way (a rule iptables rejects, then a dropped SSH connection) leaves the VR exactly as before, tunnels untouched", async () => {
    const before = await observe();
    const spis = await ikeSpis();
    const realExec = host.exec.bind(host);
    // 1. an injected bad rule: the real apply gets one rule iptables cannot load
    let injected = false;
    host.exec = (command, options) => {
      // Only the push's apply gets the bad rule, not the restore that follows it.
      if (command !== "iptables-restore -w 10 --noflush" || injected) return realExec(command, options);
      injected = true;
      return realExec(command, { ...options, stdin: `${String(options?.stdin ?? "")}*mangle\n-A S2S_DYN_MANGLE_FWD -j NO_SUCH_CHAIN\nCOMMIT\n` });
    };
    const bad = (await push(site("two", [BRANCHES.two.lanCidr, "192.168.112.0/24"])).catch((e: unknown) => e).finally(() => (host.exec = realExec))) as PushError;
    expect(bad).toBeInstanceOf(PushError);
    expect(bad.message).toMatch(/failed at step `firewall-apply`.*NO_SUCH_CHAIN.*was restored/);
    expect(bad.step).toBe("firewall-apply");
    expect(bad.restored).toBe(true);
    expect(await observe()).toEqual(before);
    // 2. the SSH connection dropped (sshd's session processes killed) right when the push reloads strongSwan
    let dropped = false;
    host.exec = async (command, options) => {
      if (command === "ipsec update" && !dropped) {
        dropped = true;
        for (const pid of namespacePids(router.topo.vr).filter((p) => p !== router.sshdPid && readComm(p) === "sshd")) process.kill(pid, "SIGKILL");
      }
      return realExec(command, options);
    };
    const lost = (await push(site("two", [BRANCHES.two.lanCidr, "192.168.112.0/24"])).catch((e: unknown) => e).finally(() => (host.exec = realExec))) as PushError;
    expect(dropped).toBe(true);
    expect(lost).toBeInstanceOf(PushError);
    expect(lost.step).toBe("reload");
    expect(lost.message).toMatch(/connection dropped.*was restored/);
    expect(await observe()).toEqual(before);
    expect(await ikeSpis()).toEqual(spis);
    site("two"); // the desired state is unchanged again
    last = JSON.parse((await router.vr.exec(["cat", "/etc/ipsec.d/s2s-state.json"])).stdout) as PushState;
  });

  it("CloudStack's own reconfiguration (a static connection via the API) deletes the push's rules as CsNetfilters does: the s2s-heal watcher restores them, the tunnel stays up, a push has nothing to repair", async () => {
    const spis = await ikeSpis();
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    const cgw = await cs.createVpnCustomerGateway(client, { name: "dc", gateway: STATIC_PEER, cidrList: "172.16.0.0/20", ipsecPsk: newPsk(), ikePolicy: "aes256-sha256;modp2048", espPolicy: "aes256-sha256" });
    const conn = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id });
    // THEN the VR wrote CloudStack's files and rules, and deleted every rule it did not generate (ours included)
    expect(readdirSync(join(router.vr.dir, "etc", "ipsec.d"))).toEqual(expect.arrayContaining([`ipsec.vpn-${STATIC_PEER}.conf`, `ipsec.vpn-${STATIC_PEER}.secrets`]));
    expect(router.reconfigurations.at(-1)!.firewall.deleted.some((r) => r.includes("-j S2S_DYN_IN"))).toBe(true);
    // THEN the gateway's watcher puts exactly the recorded rules back by itself (router-life.test.ts times it)
    await waitFor("the s2s-heal watcher restored the push's rules", async () => (await inspect(host, last)).inSync, { timeoutMs: 10_000 });
    expect((await inspect(host, last)).heal.heals).toBeGreaterThanOrEqual(1);
    // the established tunnels ride on conntrack's ESTABLISHED entries: still up, same SAs, traffic flows
    expect(await ikeSpis()).toMatchObject(spis);
    expect((await router.ping("two", router.guestHostIp, 2)).received).toBe(2);
    // WHEN the same peer is pushed again THEN there is nothing left to repair
    const repaired = await push(sites.get("two")!);
    expect(repaired.changed).toBe(false);
    expect((await inspect(host, repaired.state)).inSync).toBe(true);
    // AND when CloudStack removes its connection, its stale files go and ours stay
    await cs.deleteVpnConnection(client, conn.id);
    expect(readdirSync(join(router.vr.dir, "etc", "ipsec.d")).some((f) => f.startsWith("ipsec.vpn-"))).toBe(false);
    expect((await inspect(host, last)).files).toEqual([]);
    await cs.deleteVpnGateway(client, vgw.id);
    await cs.deleteVpnCustomerGateway(client, cgw.id);
    // the removal's reconfiguration wiped the rules again; the watcher restored them once more
    await waitFor("the rules restored after the removal's reconfiguration", async () => (await inspect(host, last)).inSync, { timeoutMs: 10_000 });
    expect(await ikeSpis()).toMatchObject(spis);
  });

  it("refuses a push when the VR's host key does not match the pin", async () => {
    const err = await connectSshGateway({ host: router.access.sshHost, port: 3922, privateKey: readFileSync(router.access.privateKeyFile), hostKey: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", connectTimeoutMs: 8_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect((err as Error).message).toContain(router.access.hostKey);
  });

  it("never shows a PSK in any process list (root or VR namespace), nor in any shell history", async () => {
    const fresh = `e2e-${randomBytes(16).toString("hex")}`;
    // A peer of its own (no CPE): changing a live peer's key would make its CPE give up after AUTHENTICATION_FAILED.
    const s = dynamicSite({ name: "site-four", remoteId: "four@example.com", cidrList: ["192.168.14.0/24"], allowedSourceCidrs: ["203.0.113.48/28"], psk: fresh });
    const { scans, seen } = await watchCommandLines(fresh, () => push(s));
    expect((await router.vr.exec(["cat", `/etc/ipsec.d/${dynamicConnectionName(bagOf(s).peer_id ?? "")}.secrets`])).stdout).toContain(fresh); // it did land, in the 0600 file only
    await push(s, false);
    expect(scans).toBeGreaterThan(3);
    expect(seen).toBe("");
    expect(historiesContaining(fresh, ["/root", router.dir])).toEqual([]);
  });

  it("removing a peer takes its SA, files and rules; the other peer keeps its SA", async () => {
    await waitUp(router.vr, connOf("two"), 15_000);
    const spis = await ikeSpis();
    const oneConn = connOf("one");
    await push(sites.get("one")!, false);
    await waitGone(router.vr, oneConn);
    const o = await observe();
    expect(Object.keys(o.files).some((f) => f.startsWith(base("one")))).toBe(false);
    expect(o.iptables).not.toContain("192.168.11.0/24");
    expect(o.iptables).not.toContain("203.0.113.16/28");
    expect((await ikeSpis())[base("two")]).toBe(spis[base("two")]);
    expect((await router.ping("two", router.guestHostIp, 2)).received).toBe(2);
    expect((await inspect(host, last)).inSync).toBe(true);
  });

  it("applies a native dynamic peer (dynamic-peer API) itself; the status check sees it Connected", async () => {
    await router.addBranch({ name: "three", wanIp: "203.0.113.40", lanCidr: "192.168.13.0/24" });
    const psk = newPsk();
    const three = dynamicSite({ name: "site-three", remoteId: "three@example.com", cidrList: ["192.168.13.0/24"], allowedSourceCidrs: ["203.0.113.32/28"], psk });
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    const cgw = await cs.createVpnCustomerGateway(client, { name: "three", cidrList: "192.168.13.0/24", ipsecPsk: psk, ikePolicy: "aes256-sha256;modp2048", espPolicy: "aes256-sha256;modp2048", ikeVersion: "ikev2", dynamicPeer: true, remoteId: "three@example.com", sourceCidrList: ["203.0.113.32/28"] });
    const conn = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id }).catch((e: Error) => {
      throw new Error(`${e.message}; router log: ${router.log.join(" | ")}`);
    });
    router.writeCpeConfig("three", peerRenderOf(three).files);
    await router.startCpe("three");
    await waitFor("branch three's LAN reachable", async () => (await router.ping("three", router.guestHostIp, 1)).received === 1, { timeoutMs: 10_000 });
    await waitFor("the connection Connected by the status check", async () => (await cs.listVpnConnections(client, { id: conn.id }))[0]?.state === "Connected", { timeoutMs: 10_000 });
    await cs.deleteVpnConnection(client, conn.id);
    await waitFor("three's SA gone", async () => !(await router.vr.sas()).some((s) => s.name.startsWith(dynamicConnectionName("three@example.com"))), { timeoutMs: 10_000 });
    await cs.deleteVpnGateway(client, vgw.id);
    await cs.deleteVpnCustomerGateway(client, cgw.id);
  });
});

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

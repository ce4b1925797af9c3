/**
 * A dynamic peer on stock CloudStack (4.22), terminated on a real gateway: sshd + iptables + charon in a network
 * namespace this test creates (test/push/helpers/gateway-lab.ts), reached by the provider host over SSH with a
 * pinned host key. create → refresh → drift repaired → update → replace (new IKE ID) → delete, and the
 * CloudStack-owned connection on the router is never touched. No branch router exists, so SAs stay down.
 */
import { describeE2e } from "../e2e/lab/suite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSecret, secret, stripSecrets, type PropertyMap } from "../harness";
import { GatewayLab } from "../push/helpers/gateway-lab";
import { startSshProxy, type SshProxy } from "./helpers/ssh-proxy";
import { OTHER_PSK, startStack, TEST_PSK, type Stack } from "./helpers/stack";
import type { Duplex } from "node:stream";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deleteVpnGateway } from "../../provider/cloudstack";

let s: Stack;
let lab: GatewayLab;
let proxy: SshProxy;
/** Where the proxy leads: the lab's router, another router (re-created: another host key), or nowhere. */
let target: (() => Promise<Duplex>) | undefined;
const extraLabs: GatewayLab[] = [];
beforeAll(async () => {
  [s, lab] = await Promise.all([startStack("4.22"), GatewayLab.start("r")]);
  target = lab.openStream;
  proxy = await startSshProxy(() => (target ? target() : Promise.reject(new Error("router unreachable"))));
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  lab?.destroy();
  for (const l of extraLabs) l.destroy();
  await s?.stop();
}, 60_000);

const dyn = (remoteId: string, extra: Record<string, unknown> = {}) => ({
  name: "branch-push",
  peer: { type: "dynamic", remoteId, allowedSourceCidrs: ["203.0.113.0/24"] },
  cidrList: ["192.168.50.0/24"],
  ipsecPsk: secret(TEST_PSK),
  ...extra,
});
const out = (v: unknown) => stripSecrets(v as never) as Record<string, any>;
const publicText = (outputs: PropertyMap) => JSON.stringify(Object.fromEntries(Object.entries(outputs).filter(([, v]) => !isSecret(v))));
/** The pushed peers' files (the gateway's record and the s2s-heal watcher's files are not a peer's). */
const ownFiles = (l: GatewayLab = lab) => Object.keys(l.observe().files).filter((f) => f.startsWith("s2s-") && f !== "s2s-state.json" && !f.startsWith("s2s-heal."));
const healFiles = (l: GatewayLab = lab) => Object.keys(l.observe().files).filter((f) => f.startsWith("s2s-heal."));

describeE2e("dynamic peer pushed to the gateway (4.22, real sshd/charon)", { timeout: 120_000 }, () => {
  it("creates, refreshes, repairs drift, updates, replaces and deletes the peer on the gateway", async () => {
    const t0 = Date.now();
    const before = lab.observe();
    const ssh = { host: "127.0.0.1", port: proxy.port, privateKey: lab.clientKey, hostKey: lab.hostKeyPin };
    const vgw = await s.vgw.up("vgw", { vpcId: s.cloud.seededVpc.id, ssh: secret(ssh) });
    expect(out(vgw.state.outputs).sshTarget).toBe(`root@127.0.0.1:${proxy.port}`);
    expect(isSecret(vgw.state.outputs.ssh)).toBe(true);
    // The lab router holds 198.51.100.10 on eth1; the local cloud's seeded VPC has another address, so the
    // gateway facts are given as the VpnGateway resource would pass them, with the lab's address.
    const gateway = { publicIp: "198.51.100.10", vpcCidr: s.cloud.seededVpc.cidr, publicInterface: "eth1" };
    let cgw = await s.cgw.up("cgw", dyn("branch@example.com"));
    expect(cgw.state.id).toMatch(/^gateway:/);
    const connInputs = (spec: unknown, psk = TEST_PSK) => ({ vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, gateway, gatewaySsh: secret(ssh), customerGatewaySpec: spec as never, ipsecPsk: secret(psk) });

    // create: the peer's files are on the gateway, in sync, SA down (no branch)
    const conn = await s.conn.up("conn", connInputs(cgw.state.outputs.spec));
    expect(conn.state.id).toBe(`gateway:${vgw.state.id}:${cgw.state.id.slice("gateway:".length)}`);
    expect(out(conn.state.outputs)).toMatchObject({ managedBy: "gateway", gatewayInSync: true, gatewayDrift: [], established: false, state: "Disconnected", publicIp: "198.51.100.10", schemaVersion: 1 });
    // Live telemetry is read with getTunnelStatus, never stored (it would make every refresh a change).
    for (const key of ["peerAddress", "bytesIn", "bytesOut"]) expect(conn.state.outputs).not.toHaveProperty(key);
    const name = out(conn.state.outputs).gatewayConnection as string;
    expect(ownFiles().sort()).toEqual([`${name}.conf`, `${name}.secrets`]);
    expect(healFiles().sort()).toEqual(["s2s-heal.rules", "s2s-heal.sh"]);
    expect(lab.observe().files[`${name}.secrets`]).toMatch(/^(400|600) /);
    expect(lab.run(["ipsec", "statusall"])).toContain(name);
    expect(publicText(conn.state.outputs)).not.toContain(TEST_PSK);

    // refresh: nothing changed
    expect((await s.conn.refresh("conn")).op).toBe("same");

    // drift: the peer's conf is removed on the router; refresh shows it, the next up pushes again
    lab.run(["rm", "-f", `/etc/ipsec.d/${name}.conf`]);
    const drifted = await s.conn.refresh("conn");
    expect(out(drifted.state!.outputs)).toMatchObject({ gatewayInSync: false, gatewayDrift: [expect.stringContaining(`${name}.conf: missing`)] });
    const repaired = await s.conn.up("conn", connInputs(cgw.state.outputs.spec));
    expect(repaired.op).toBe("update");
    expect(out(repaired.state.outputs)).toMatchObject({ gatewayInSync: true, gatewayDrift: [] });
    expect(ownFiles()).toContain(`${name}.conf`);

    // update: new subnet and new PSK on the customer gateway flow into the connection, pushed in place
    cgw = await s.cgw.up("cgw", dyn("branch@example.com", { cidrList: ["192.168.50.0/24", "192.168.51.0/24"], ipsecPsk: secret(OTHER_PSK) }));
    const updated = await s.conn.up("conn", connInputs(cgw.state.outputs.spec, OTHER_PSK));
    expect(updated.op).toBe("update");
    expect(updated.diff?.replaces).toEqual([]);
    expect(lab.observe().files[`${name}.conf`]).toContain("192.168.51.0/24");
    expect(lab.observe().files[`${name}.secrets`]).toContain(OTHER_PSK);

    // replace: another IKE ID is another peer on the router (old one removed first)
    cgw = await s.cgw.up("cgw", dyn("@branch2.example.com", { ipsecPsk: secret(OTHER_PSK) }));
    const replaced = await s.conn.up("conn", connInputs(cgw.state.outputs.spec, OTHER_PSK));
    expect(replaced.op).toBe("replace");
    expect(replaced.diff).toMatchObject({ replaces: ["customerGatewaySpec"], deleteBeforeReplace: true });
    const name2 = out(replaced.state.outputs).gatewayConnection as string;
    expect(name2).not.toBe(name);
    expect(ownFiles().sort()).toEqual([`${name2}.conf`, `${name2}.secrets`]);

    // delete: the router is back to what CloudStack left there
    await s.conn.destroy("conn");
    await s.cgw.destroy("cgw");
    await s.vgw.destroy("vgw");
    expect(ownFiles()).toEqual([]);
    expect(healFiles()).toEqual([]);
    const after = lab.observe();
    // The last peer took the push's record and own chains with it.
    expect(Object.keys(after.files)).not.toContain("s2s-state.json");
    expect(after.iptables).not.toContain("S2S_DYN");
    expect(after.files["ipsec.vpn-203.0.113.99.conf"]).toBe(before.files["ipsec.vpn-203.0.113.99.conf"]);
    expect(after.loaded.filter((l) => l.includes("vpn-203.0.113.99"))).toEqual(before.loaded.filter((l) => l.includes("vpn-203.0.113.99")));
    expect(s.host.output()).not.toMatch(new RegExp(`${TEST_PSK}|${OTHER_PSK}|BEGIN OPENSSH PRIVATE KEY`));
    console.info(`timing: push lifecycle ${Date.now() - t0} ms`);
  });

  it("a re-created router (another host key) is drift on refresh, never trusted by up until re-pinned or, opted in, CloudStack reports a new router id for it; delete succeeds once CloudStack has no VPN gateway and the router is gone", async () => {
    // Two routers of its own: the VPC's router, and the one that replaces it (the shared lab stays clean).
    const [first, fresh] = await Promise.all([GatewayLab.start("o"), GatewayLab.start("n")]);
    extraLabs.push(first, fresh);
    target = first.openStream;
    // CloudStack's listRouters for the VPC, as the local cloud answers it: the router behind the proxy, by its id.
    let routerId = "router-before";
    s.router.lifecycle = {
      listRouters: (vpcId) => (vpcId === s.cloud.seededVpc.id ? [{ id: routerId, name: routerId === "router-before" ? "r-4-VM" : "r-5-VM", state: "Running", publicIp: "198.51.100.10", linkLocalIp: "127.0.0.1", redundantState: "UNKNOWN", isRedundant: false }] : []),
      rebootRouter: () => Promise.reject(new Error("not modelled here")),
      stopRouter: () => Promise.reject(new Error("not modelled here")),
      startRouter: () => Promise.reject(new Error("not modelled here")),
      restartVpc: () => Promise.reject(new Error("not modelled here")),
    };
    const ssh = { host: "127.0.0.1", port: proxy.port, privateKey: first.clientKey, hostKey: first.hostKeyPin };
    const vgw = await s.vgw.up("vgw-life", { vpcId: s.cloud.seededVpc.id, ssh: secret(ssh) });
    const cgw = await s.cgw.up("cgw-life", dyn("life@example.com"));
    const gateway = { publicIp: "198.51.100.10", vpcCidr: s.cloud.seededVpc.cidr, publicInterface: "eth1" };
    // (a new router gets the same management login key from CloudStack; the labs each have their own)
    const inputs = (pin: string, privateKey = first.clientKey) => ({ vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, gateway, gatewaySsh: secret({ ...ssh, privateKey, hostKey: pin }), customerGatewaySpec: cgw.state.outputs.spec as never, ipsecPsk: secret(TEST_PSK) });
    const created = await s.conn.up("conn-life", inputs(first.hostKeyPin));
    expect(out(created.state.outputs).gatewayRouterIds).toEqual(["router-before"]);
    expect(ownFiles(first).length).toBe(2);
    // WHEN the router is re-created (same address, new host key, nothing pushed on it, a new id in listRouters)
    target = fresh.openStream;
    routerId = "router-after";
    // THEN refresh reports it as drift naming a re-created router and the re-pin, instead of failing
    const refreshed = await s.conn.refresh("conn-life");
    const drift = out(refreshed.state!.outputs);
    expect(drift).toMatchObject({ gatewayInSync: false, established: false });
    expect(drift.gatewayDrift[0]).toMatch(/^the router was re-created: /);
    expect(drift.gatewayDrift[0]).toMatch(/set `[a-zA-Z.]*hostKey` to SHA256:/);
    expect(drift.gatewayDrift[0]).toContain(fresh.hostKeyPin);
    // AND up with the old pin refuses the new key (nothing pushed there); with the new pin it pushes the peer again
    expect(drift.gatewayDrift[0]).toContain("CloudStack reports router router-after where the last push found router-before");
    expect(drift.gatewayDrift[0]).toContain("acceptRecreatedRouterKey");
    const refused = await s.conn.up("conn-life", inputs(first.hostKeyPin)).catch((e: unknown) => e);
    expect(String((refused as Error).message)).toMatch(/host key refused/);
    expect(ownFiles(fresh)).toEqual([]);
    // AND with the opt-in, up accepts the new key because CloudStack reports a router id the last push did not
    // record, records it, and refresh keeps using it; the same opt-in refuses a key change without a new router id
    const optIn = (pin: string) => ({ ...inputs(pin, fresh.clientKey), gatewaySsh: secret({ ...ssh, privateKey: fresh.clientKey, hostKey: pin, acceptRecreatedRouterKey: true }) });
    const accepted = await s.conn.up("conn-life", optIn(first.hostKeyPin));
    expect(out(accepted.state.outputs)).toMatchObject({ gatewayInSync: true, gatewayRouterIds: ["router-after"], acceptedHostKeys: [{ target: `127.0.0.1:${proxy.port}`, routerId: "router-after", routerName: "r-5-VM", fingerprint: fresh.hostKeyPin }] });
    expect(ownFiles(fresh).length).toBe(2);
    expect((await s.conn.refresh("conn-life")).op).toBe("same");
    const other = await GatewayLab.start("x");
    extraLabs.push(other);
    target = other.openStream; // another key again, but CloudStack still reports router-after: not accepted
    const notNew = await s.conn.up("conn-life", { ...optIn(first.hostKeyPin), customerGatewaySpec: { ...(cgw.state.outputs.spec as object), cidrList: ["192.168.50.0/24", "192.168.53.0/24"] } as never }).catch((e: unknown) => e);
    expect(String((notNew as Error).message)).toMatch(/host key refused: .*CloudStack does not report a re-created router at this address/);
    expect(ownFiles(other)).toEqual([]);
    target = fresh.openStream;
    const repinned = await s.conn.up("conn-life", inputs(fresh.hostKeyPin, fresh.clientKey));
    expect(out(repinned.state.outputs)).toMatchObject({ gatewayInSync: true });
    expect(ownFiles(fresh).length).toBe(2);
    // WHEN the VPN gateway is deleted in CloudStack (the VPC went) and the router is gone with it
    await deleteVpnGateway(s.client, vgw.state.id);
    target = undefined;
    // THEN deleting the pushed peer succeeds: there is nothing left to remove
    await s.conn.destroy("conn-life");
    expect(s.conn.names()).not.toContain("conn-life");
    target = lab.openStream;
    s.router.lifecycle = undefined;
    await s.cgw.destroy("cgw-life");
    await s.vgw.destroy("vgw-life");
  });

  it("a redundant pair: every push goes to both routers (the BACKUP with strongSwan stopped), drift names the router, a router that is down fails the push unless allowPartialPush, the next up repairs it, delete clears both", async () => {
    const [p, b] = await Promise.all([GatewayLab.start("p"), GatewayLab.start("b")]);
    extraLabs.push(p, b);
    b.run(["ipsec", "stop"]); // CloudStack's set_backup: no charon on the BACKUP
    let toB: (() => Promise<Duplex>) | undefined = b.openStream;
    const proxyB = await startSshProxy(() => (toB ? toB() : Promise.reject(new Error("router unreachable"))));
    const files = (l: GatewayLab) => readdirSync(join(l.dir, "etc/ipsec.d")).filter((f) => f.startsWith("s2s-")).sort();
    try {
      target = p.openStream;
      const ssh = (extra: Record<string, unknown> = {}) => ({ host: "127.0.0.1", port: proxy.port, privateKey: p.clientKey, hostKey: p.hostKeyPin, secondRouter: { host: "127.0.0.1", port: proxyB.port, privateKey: b.clientKey, hostKey: b.hostKeyPin }, ...extra });
      const vgw = await s.vgw.up("vgw-pair", { vpcId: s.cloud.seededVpc.id, ssh: secret(ssh()) });
      expect(out(vgw.state.outputs).sshTarget).toBe(`root@127.0.0.1:${proxy.port} and root@127.0.0.1:${proxyB.port}`);
      const cgw = await s.cgw.up("cgw-pair", dyn("pair@example.com"));
      const gateway = { publicIp: "198.51.100.10", vpcCidr: s.cloud.seededVpc.cidr, publicInterface: "eth1" };
      let spec = cgw.state.outputs.spec as Record<string, unknown>;
      const inputs = (extra: Record<string, unknown> = {}) => ({ vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, gateway, gatewaySsh: secret(ssh(extra)), customerGatewaySpec: spec as never, ipsecPsk: secret(TEST_PSK) });

      // create: both routers hold the peer, the BACKUP without charon running, the PRIMARY with it loaded
      const conn = await s.conn.up("conn-pair", inputs());
      const name = out(conn.state.outputs).gatewayConnection as string;
      expect(out(conn.state.outputs)).toMatchObject({ gatewayInSync: true, gatewayDrift: [] });
      for (const l of [p, b]) expect(files(l)).toEqual([`${name}.conf`, `${name}.secrets`, "s2s-heal.rules", "s2s-heal.sh", "s2s-state.json"].sort());
      expect(p.run(["ipsec", "statusall"])).toContain(name);
      expect((await s.conn.refresh("conn-pair")).op).toBe("same");

      // drift on the BACKUP is named with that router; up repairs it there
      b.run(["rm", "-f", `/etc/ipsec.d/${name}.conf`]);
      const drifted = out((await s.conn.refresh("conn-pair")).state!.outputs);
      expect(drifted.gatewayInSync).toBe(false);
      expect(drifted.gatewayDrift).toEqual([`root@127.0.0.1:${proxyB.port}: /etc/ipsec.d/${name}.conf: missing`]);
      expect(out((await s.conn.up("conn-pair", inputs())).state.outputs)).toMatchObject({ gatewayInSync: true });
      expect(files(b)).toContain(`${name}.conf`);

      // the BACKUP is down: refresh says so; up fails naming it and changes nothing on the PRIMARY
      toB = undefined;
      const down = out((await s.conn.refresh("conn-pair")).state!.outputs);
      expect(down.gatewayDrift).toEqual([expect.stringMatching(new RegExp(`^root@127\\.0\\.0\\.1:${proxyB.port}: not reached`))]);
      const pBefore = p.observe();
      const refused = await s.conn.up("conn-pair", inputs()).catch((e: unknown) => e);
      expect(String((refused as Error).message)).toMatch(new RegExp(`root@127\\.0\\.0\\.1:${proxyB.port}, one router of the redundant pair, cannot be reached: .*Nothing was pushed to either router`));
      expect(p.observe()).toEqual(pBefore);
      // with allowPartialPush the PRIMARY gets the change and the gap stays visible
      spec = { ...spec, cidrList: ["192.168.50.0/24", "192.168.52.0/24"] };
      const partial = out((await s.conn.up("conn-pair", inputs({ allowPartialPush: true }))).state.outputs);
      expect(partial).toMatchObject({ gatewayInSync: false, gatewayDrift: [expect.stringContaining("not reached")] });
      expect(p.observe().files[`${name}.conf`]).toContain("192.168.52.0/24");
      // the router is back: the next up repairs it (it was out of sync)
      toB = b.openStream;
      expect(readFileSync(join(b.dir, "etc/ipsec.d", `${name}.conf`), "utf8")).not.toContain("192.168.52.0/24");
      const repaired = out((await s.conn.up("conn-pair", inputs({ allowPartialPush: true }))).state.outputs);
      expect(repaired).toMatchObject({ gatewayInSync: true, gatewayDrift: [] });
      expect(readFileSync(join(b.dir, "etc/ipsec.d", `${name}.conf`), "utf8")).toContain("192.168.52.0/24");

      // delete: both routers are back to what CloudStack left there
      await s.conn.destroy("conn-pair");
      for (const l of [p, b]) expect(files(l)).toEqual([]);
      for (const l of [p, b]) expect(l.run(["iptables-save"])).not.toContain("S2S_DYN");
      await s.cgw.destroy("cgw-pair");
      await s.vgw.destroy("vgw-pair");
    } finally {
      target = lab.openStream;
      await proxyB.close();
    }
  });

  it("fails create with the host-key mismatch and pushes nothing when the pin is wrong", async () => {
    const cgw = await s.cgw.up("cgw-pin", dyn("pin@example.com"));
    const gateway = { publicIp: "198.51.100.10", vpcCidr: s.cloud.seededVpc.cidr, publicInterface: "eth1" };
    const wrong = { host: "127.0.0.1", port: proxy.port, privateKey: lab.clientKey, hostKey: `SHA256:${"A".repeat(43)}` };
    const err = await s.conn.up("conn-pin", { vpnGatewayId: "vgw", customerGatewayId: cgw.state.id, gateway, gatewaySsh: secret(wrong), customerGatewaySpec: cgw.state.outputs.spec as never, ipsecPsk: secret(TEST_PSK) }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/host key refused/);
    expect(String((err as Error).message)).not.toContain(TEST_PSK);
    expect(s.conn.names()).not.toContain("conn-pin");
    expect(ownFiles()).toEqual([]);
    await s.cgw.destroy("cgw-pin");
  });
});

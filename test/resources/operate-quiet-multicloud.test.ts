/**
 * Operating a stack through the SDK host (repository build): refreshes of an established static tunnel report no
 * change (live telemetry is not state), every output carries `schemaVersion`, `get` (a Read with no prior state)
 * yields full outputs, and one stack manages a second cloud through a resource's own `cloudstack` settings while
 * the stack config points at the first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudStackClient, getVpnCustomerGateway, getVpnGateway } from "../../provider/cloudstack";
import { InMemoryRouter, startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { lookupCustomerGateway, lookupVpnGateway } from "../../provider/resources/lookups";
import { secret, stripSecrets } from "../harness";
import { startStack, TEST_PSK, type Stack } from "./helpers/stack";

let s: Stack;
let second: LocalCloud;
let secondClient: CloudStackClient;
beforeAll(async () => {
  s = await startStack("4.22");
  second = await startLocalCloud({ variant: "4.22", router: new InMemoryRouter(), statusCheckIntervalMs: 100 });
  secondClient = new CloudStackClient({ apiUrl: second.url, apiKey: second.admin.apiKey, secretKey: second.admin.secretKey });
}, 120_000);
afterAll(async () => {
  secondClient?.close();
  await second?.close();
  await s?.stop();
});

const out = (v: unknown) => stripSecrets(v as never) as Record<string, any>;
const PEER = "203.0.113.40";

describe("operating a stack", () => {
  it("refreshes an established tunnel twice with no change, right after up", async () => {
    const vgw = await s.vgw.up("gw", { vpcId: s.cloud.seededVpc.id });
    const cgw = await s.cgw.up("dc", { name: "dc-quiet", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.40.0/24"], ipsecPsk: secret(TEST_PSK) });
    s.router.setConnected(s.cloud.seededVpc.id, PEER, true);
    const conn = await s.conn.up("dc", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, waitForEstablished: true, establishedTimeoutSeconds: 20 });
    expect(out(conn.state.outputs)).toMatchObject({ state: "Connected", established: true, schemaVersion: 1 });
    for (const e of [s.vgw, s.cgw]) for (const n of e.names()) expect(out(e.state(n)!.outputs).schemaVersion).toBe(1);
    for (let round = 1; round <= 2; round++) {
      for (const [e, name] of [[s.vgw, "gw"], [s.cgw, "dc"], [s.conn, "dc"]] as const) {
        const before = out(e.state(name)!.outputs);
        const r = await e.refresh(name);
        expect(r.op, `refresh ${round} of ${name}: ${JSON.stringify(before)} → ${JSON.stringify(out(r.state?.outputs))}`).toBe("same");
      }
    }
    // And `up` with the same program after the refreshes is a no-op too.
    expect((await s.vgw.up("gw", { vpcId: s.cloud.seededVpc.id })).op).toBe("same");
    // The tunnel going down IS a change (state and `established`), and only that.
    s.router.setConnected(s.cloud.seededVpc.id, PEER, false);
    await new Promise((r) => setTimeout(r, 600));
    const down = await s.conn.refresh("dc");
    expect(down.op).toBe("update");
    expect(out(down.state!.outputs)).toMatchObject({ established: false });
  });

  it("reads an existing object by id with no prior state (the Read behind `Resource.get`)", async () => {
    const vgwId = s.vgw.state("gw")!.id;
    const cgwId = s.cgw.state("dc")!.id;
    const connId = s.conn.state("dc")!.id;
    const urn = (t: string, n: string) => `urn:pulumi:test::cloudstack-s2s::pulumi-nodejs:dynamic/cloudstack-s2s:${t}::${n}`;
    const gw = await s.host.read({ urn: urn("VpnGateway", "got"), id: vgwId, properties: { __provider: s.providers.vpnGateway.text } });
    expect(out(gw.outs)).toMatchObject({ vpcId: s.cloud.seededVpc.id, publicIp: s.cloud.seededVpc.publicIp, vpcCidr: s.cloud.seededVpc.cidr, schemaVersion: 1 });
    const cg = await s.host.read({ urn: urn("CustomerGateway", "got"), id: cgwId, properties: { __provider: s.providers.customerGateway.text } });
    expect(out(cg.outs)).toMatchObject({ name: "dc-quiet", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.40.0/24"], managedBy: "cloudstack" });
    const cn = await s.host.read({ urn: urn("VpnConnection", "got"), id: connId, properties: { __provider: s.providers.vpnConnection.text } });
    expect(out(cn.outs), JSON.stringify(out(cn.outs))).toMatchObject({ managedBy: "cloudstack", vpnGatewayId: vgwId, customerGatewayId: cgwId, state: "Disconnected", schemaVersion: 1 });
  });

  it("looks up the VPN gateway of a VPC and a customer gateway by name (plain API reads from the program)", async () => {
    const cloudstack = { url: s.cloud.url, apiKey: s.cloud.admin.apiKey, secretKey: s.cloud.admin.secretKey };
    expect(await lookupVpnGateway({ vpcId: s.cloud.seededVpc.id, cloudstack })).toMatchObject({ id: s.vgw.state("gw")!.id, vpcId: s.cloud.seededVpc.id, publicIp: s.cloud.seededVpc.publicIp });
    expect(await lookupCustomerGateway({ name: "dc-quiet", cloudstack })).toMatchObject({ id: s.cgw.state("dc")!.id, name: "dc-quiet", gateway: PEER, cidrList: ["192.168.40.0/24"], dynamicPeer: false });
    expect(await lookupCustomerGateway({ name: "no-such-gateway", cloudstack })).toBeUndefined();
    expect(await lookupVpnGateway({ vpcId: second.seededVpc.id, cloudstack: { url: second.url, apiKey: second.admin.apiKey, secretKey: second.admin.secretKey } })).toBeUndefined();
  });

  it("manages a second cloud through a resource's `cloudstack` settings (stack config points at the first)", async () => {
    const settings = secret({ url: second.url, apiKey: second.admin.apiKey, secretKey: second.admin.secretKey });
    const gw = await s.vgw.up("gw2", { vpcId: second.seededVpc.id, cloudstack: settings });
    expect(await getVpnGateway(secondClient, gw.state.id)).toBeDefined();
    await expect(getVpnGateway(s.client, gw.state.id)).rejects.toThrow(/entity does not exist/); // not in the first cloud
    expect(gw.state.outputs.cloudstack).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" }); // kept, as a secret
    const cg = await s.cgw.up("cg2", { name: "second-cloud", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.41.0/24"], ipsecPsk: secret(TEST_PSK), cloudstack: settings });
    expect(await getVpnCustomerGateway(secondClient, cg.state.id)).toBeDefined();
    expect((await s.cgw.refresh("cg2")).op).toBe("same");
    // Incomplete settings fail the check with the field path, never echoing the key.
    await expect(s.cgw.up("bad", { name: "bad", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.42.0/24"], ipsecPsk: secret(TEST_PSK), cloudstack: secret({ url: second.url, apiKey: "k" }) })).rejects.toThrow(/cloudstack\.secretKey/);
    await s.cgw.destroy("cg2");
    await s.vgw.destroy("gw2");
    expect(await getVpnCustomerGateway(secondClient, cg.state.id)).toBeUndefined();
    expect(await getVpnGateway(secondClient, gw.state.id)).toBeUndefined();
  });
});

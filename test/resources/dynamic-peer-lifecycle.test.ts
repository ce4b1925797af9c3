/**
 * Dynamic peers through the SDK's host. On the `dynamic-peer` API variant (apache/cloudstack#13512) the customer
 * gateway is a native CloudStack object (dynamicpeer, remoteid, sourcecidrlist) and the connection is CloudStack's;
 * on stock 4.22 the customer gateway exists only in the stack and the connection refuses, in `check`, to go on
 * without the gateway's SSH access (the push itself is covered by push-lifecycle.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getVpnConnection, getVpnCustomerGateway, listVpnCustomerGateways } from "../../provider/cloudstack";
import { CheckFailedError, secret, stripSecrets } from "../harness";
import { OTHER_PSK, startStack, TEST_PSK, type Stack } from "./helpers/stack";

const dyn = (extra: Record<string, unknown> = {}) => ({
  name: "branch-dyn",
  peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] },
  cidrList: ["192.168.20.0/24"],
  ipsecPsk: secret(TEST_PSK),
  ...extra,
});
const out = (v: unknown) => stripSecrets(v as never) as Record<string, any>;

describe("dynamic peer on the dynamic-peer API (native)", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack("dynamic-peer");
  }, 120_000);
  afterAll(async () => s?.stop());

  it("creates a native dynamic customer gateway and connection, refreshes, updates, replaces and deletes", async () => {
    const t0 = Date.now();
    const vgw = await s.vgw.up("vgw", { vpcId: s.cloud.seededVpc.id });
    const cgw = await s.cgw.up("cgw", dyn());
    // THEN the model's resolution reached CloudStack: IKEv2, DPD on, detected e-mail ID type, source CIDRs
    expect(out(cgw.state.outputs)).toMatchObject({ managedBy: "cloudstack", ikeVersion: "ikev2", dpd: true, peer: { type: "dynamic", remoteId: "branch@example.com", remoteIdType: "email" } });
    expect(await getVpnCustomerGateway(s.client, cgw.state.id)).toMatchObject({ dynamicpeer: true, remoteid: "branch@example.com", sourcecidrlist: "203.0.113.0/24", ikeversion: "ikev2", dpd: true });
    expect((await getVpnCustomerGateway(s.client, cgw.state.id))?.gateway ?? "").toBe("");

    const conn = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, waitForEstablished: true, establishedTimeoutSeconds: 20 });
    expect(out(conn.state.outputs)).toMatchObject({ managedBy: "cloudstack", state: "Connected", established: true });
    // The router got the dynamic-peer bag for this ID
    expect(s.router.configuredPeers(s.cloud.seededVpc.id)).toEqual(["branch@example.com"]);

    // Refresh with the tunnel down: the connection's live state follows CloudStack's router check
    s.router.setConnected(s.cloud.seededVpc.id, "branch@example.com", false);
    await new Promise((r) => setTimeout(r, 400));
    const down = await s.conn.refresh("conn");
    expect(out(down.state!.outputs)).toMatchObject({ state: "Disconnected", established: false });
    s.router.setConnected(s.cloud.seededVpc.id, "branch@example.com", true);

    // In place: new source range and a new PSK (update is a full replace: remoteid and dynamicpeer are resent)
    const upd = await s.cgw.up("cgw", dyn({ peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["198.51.100.0/24"] }, ipsecPsk: secret(OTHER_PSK) }));
    expect(upd.op).toBe("update");
    expect(upd.diff?.replaces).toEqual([]);
    expect(await getVpnCustomerGateway(s.client, cgw.state.id)).toMatchObject({ dynamicpeer: true, remoteid: "branch@example.com", sourcecidrlist: "198.51.100.0/24", ipsecpsk: OTHER_PSK });

    // Replace: static → dynamic is another kind of object; the connection goes first (as the engine orders a
    // delete-before-replace of a dependency), then the gateway is replaced
    await s.conn.destroy("conn");
    const replaced = await s.cgw.up("cgw", { ...dyn({ ipsecPsk: secret(OTHER_PSK) }), peer: { type: "static", gateway: "203.0.113.30" } });
    expect(replaced.op).toBe("replace");
    expect(replaced.diff).toMatchObject({ replaces: ["peer"], deleteBeforeReplace: true });
    expect((await getVpnCustomerGateway(s.client, replaced.state.id))?.dynamicpeer).toBe(false);

    await s.cgw.destroy("cgw");
    await s.vgw.destroy("vgw");
    expect(await getVpnConnection(s.client, conn.state.id)).toBeUndefined();
    expect(await listVpnCustomerGateways(s.client, { listAll: true })).toEqual([]);
    console.info(`timing: native dynamic-peer lifecycle ${Date.now() - t0} ms`);
  });
});

describe("dynamic peer on stock CloudStack 4.22", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack("4.22");
  }, 120_000);
  afterAll(async () => s?.stop());

  it("keeps the customer gateway in the stack only (no CloudStack object) and says so", async () => {
    const cgw = await s.cgw.up("cgw", dyn());
    expect(cgw.state.id).toMatch(/^gateway:[0-9a-f-]{36}$/);
    expect(out(cgw.state.outputs)).toMatchObject({ managedBy: "gateway", spec: { name: "branch-dyn", peer: { remoteId: "branch@example.com" } } });
    expect(JSON.stringify(cgw.state.outputs.spec)).not.toContain(TEST_PSK);
    expect(await listVpnCustomerGateways(s.client, { listAll: true })).toEqual([]);
    // refresh has nothing remote to compare; update changes the stack only
    expect((await s.cgw.refresh("cgw")).op).toBe("same");
    expect((await s.cgw.up("cgw", dyn({ cidrList: ["192.168.21.0/24"] }))).op).toBe("update");
    await s.cgw.destroy("cgw");
  });

  it("fails the connection's check with property paths when the push has what it needs missing", async () => {
    const vgw = await s.vgw.up("vgw", { vpcId: s.cloud.seededVpc.id });
    const cgw = await s.cgw.up("cgw2", dyn());
    const spec = cgw.state.outputs.spec;
    // GIVEN the gateway resource without `ssh`
    const gateway = { publicIp: s.cloud.seededVpc.publicIp, vpcCidr: s.cloud.seededVpc.cidr, publicInterface: "eth1" };
    const err = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, gateway, customerGatewaySpec: spec, ipsecPsk: secret(TEST_PSK) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect((err as CheckFailedError).failures).toEqual([{ property: "vpnGateway.ssh", reason: expect.stringMatching(/no dynamic-peer API.*"branch@example\.com".*set `ssh`/) }]);
    // AND given ids only (no resources): both sides say what is missing
    const ids = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id }).catch((e: unknown) => e);
    expect((ids as CheckFailedError).failures.map((f) => f.property)).toEqual(["customerGateway", "vpnGateway"]);
    expect(String((ids as Error).message)).not.toContain(TEST_PSK);
    await s.cgw.destroy("cgw2");
    await s.vgw.destroy("vgw");
  });
});

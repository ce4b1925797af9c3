/**
 * Static peers through the SDK's own host against the local CloudStack (4.22): VpnGateway, CustomerGateway and
 * VpnConnection go create → refresh (drift made out of band) → in-place update → replace → delete, and CloudStack
 * holds exactly what each step says. Credentials come from stack config (the host's env holds wrong ones).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getVpnConnection, getVpnCustomerGateway, getVpnGateway, listVpnCustomerGateways, updateVpnCustomerGateway } from "../../provider/cloudstack";
import { secret, stripSecrets } from "../harness";
import { startStack, TEST_PSK, type Stack } from "./helpers/stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack("4.22");
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const cg = (extra: Record<string, unknown> = {}) => ({ name: "branch-a", peer: { type: "static", gateway: "203.0.113.20" }, cidrList: ["192.168.10.0/24"], ipsecPsk: secret(TEST_PSK), ...extra });
const out = (v: unknown) => stripSecrets(v as never) as Record<string, any>;

describe("static peer lifecycle (4.22)", () => {
  it("creates, refreshes drift, updates in place, replaces and deletes", async () => {
    const t0 = Date.now();
    // GIVEN a VPN gateway on the seeded VPC and a customer gateway
    const vgw = await s.vgw.up("vgw", { vpcId: s.cloud.seededVpc.id });
    expect(vgw.op).toBe("create");
    expect(out(vgw.state.outputs)).toMatchObject({ vpcId: s.cloud.seededVpc.id, publicIp: s.cloud.seededVpc.publicIp, vpcCidr: s.cloud.seededVpc.cidr, publicInterface: "eth1" });
    const cgw = await s.cgw.up("cgw", cg());
    expect(out(cgw.state.outputs)).toMatchObject({ managedBy: "cloudstack", name: "branch-a", ikePolicy: "aes256-sha256;modp2048", ikeVersion: "ike", dpd: false });
    expect((await getVpnCustomerGateway(s.client, cgw.state.id))?.gateway).toBe("203.0.113.20");

    // WHEN a connection is created
    const conn = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, waitForEstablished: true, establishedTimeoutSeconds: 20 });
    // THEN CloudStack connected it (the in-memory router reports the peer up)
    expect(out(conn.state.outputs)).toMatchObject({ managedBy: "cloudstack", state: "Connected", established: true, publicIp: s.cloud.seededVpc.publicIp, passive: false });

    // Drift: someone changes the customer gateway's CIDRs in CloudStack; refresh shows it, up puts it back
    const cs = (await getVpnCustomerGateway(s.client, cgw.state.id))!;
    await updateVpnCustomerGateway(s.client, { id: cs.id, name: "branch-a", gateway: "203.0.113.20", cidrList: "192.168.99.0/24", ipsecPsk: TEST_PSK, ikePolicy: cs.ikepolicy!, espPolicy: cs.esppolicy! });
    const refreshed = await s.cgw.refresh("cgw");
    expect(refreshed.op).toBe("update");
    expect(out(refreshed.state!.outputs).cidrList).toEqual(["192.168.99.0/24"]);
    const healed = await s.cgw.up("cgw", cg());
    expect(healed.op).toBe("update");
    expect(healed.diff?.replaces).toEqual([]);
    expect((await getVpnCustomerGateway(s.client, cgw.state.id))?.cidrlist).toBe("192.168.10.0/24");

    // In-place update of every updatable field class: CIDRs, policy, lifetime, name; the id stays
    const updated = await s.cgw.up("cgw", cg({ name: "branch-a2", cidrList: ["192.168.10.0/24", "192.168.11.0/24"], espPolicy: "aes128-sha256", ikeLifetime: 28800 }));
    expect(updated.op).toBe("update");
    expect(updated.state.id).toBe(cgw.state.id);
    const after = (await getVpnCustomerGateway(s.client, cgw.state.id))!;
    // A full replace: fields not changed (dpd, ikeVersion, psk) kept their values
    expect(after).toMatchObject({ name: "branch-a2", cidrlist: "192.168.10.0/24,192.168.11.0/24", esppolicy: "aes128-sha256", ikelifetime: 28800, dpd: false, ikeversion: "ike", ipsecpsk: TEST_PSK });
    expect((await s.cgw.up("cgw", cg({ name: "branch-a2", cidrList: ["192.168.10.0/24", "192.168.11.0/24"], espPolicy: "aes128-sha256", ikeLifetime: 28800 }))).op).toBe("same");

    // Replace: `passive` cannot change in CloudStack, so the connection is replaced, the old one deleted first
    const replaced = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, passive: true });
    expect(replaced.op).toBe("replace");
    expect(replaced.diff).toMatchObject({ replaces: ["passive"], deleteBeforeReplace: true });
    expect(replaced.state.id).not.toBe(conn.state.id);
    expect(await getVpnConnection(s.client, conn.state.id)).toBeUndefined();
    expect((await getVpnConnection(s.client, replaced.state.id))?.passive).toBe(true);

    // Delete in dependency order; CloudStack holds nothing afterwards
    await s.conn.destroy("conn");
    await s.cgw.destroy("cgw");
    await s.vgw.destroy("vgw");
    expect(await getVpnConnection(s.client, replaced.state.id)).toBeUndefined();
    expect(await listVpnCustomerGateways(s.client, { listAll: true })).toEqual([]);
    expect(await getVpnGateway(s.client, vgw.state.id)).toBeUndefined();
    console.info(`timing: static lifecycle (${s.cgw.calls.length + s.vgw.calls.length + s.conn.calls.length} RPCs) ${Date.now() - t0} ms`);
  });

  it("replacing a customer gateway under the same name deletes the old one first (names are unique per account)", async () => {
    const first = await s.cgw.up("owned", cg({ name: "branch-owned" }));
    // GIVEN a replacement that keeps the name (owner change)
    const preview = await s.cgw.preview("owned", cg({ name: "branch-owned", projectId: "p-1" }));
    expect(preview.diff).toMatchObject({ changes: "SOME", replaces: ["projectId"], deleteBeforeReplace: true });
    // a rename alone is in place, and a type change is a replacement that may create first (other name)
    const typeChange = await s.cgw.preview("owned", { ...cg({ name: "branch-owned-2" }), peer: { type: "dynamic", remoteId: "b@example.com", allowAnySource: true } });
    expect(typeChange.diff).toMatchObject({ replaces: ["peer"], deleteBeforeReplace: false });
    await s.cgw.destroy("owned");
    expect(await getVpnCustomerGateway(s.client, first.state.id).catch(() => undefined)).toBeUndefined();
  });

  it("delete tolerates objects already gone, and refresh drops them from the stack", async () => {
    const vgw = await s.vgw.up("gone-vgw", { vpcId: s.cloud.seededVpc.id });
    const cgw = await s.cgw.up("gone-cgw", cg({ name: "branch-gone" }));
    // WHEN both are deleted behind the stack's back
    await s.client.call("deleteVpnCustomerGateway", { id: cgw.state.id });
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.cgw.refresh("gone-cgw")).op).toBe("delete");
    // THEN a destroy of the gateway whose object vanished still succeeds
    const { deleteVpnGateway } = await import("../../provider/cloudstack/index.js");
    await deleteVpnGateway(s.client, vgw.state.id);
    await expect(s.vgw.destroy("gone-vgw")).resolves.toBe(true);
  });
});

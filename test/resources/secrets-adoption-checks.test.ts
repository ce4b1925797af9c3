/**
 * Through the SDK's host: check failures carry property paths; the PSK never appears in a non-secret output, a
 * diff, an error or the host's own output; adoptExisting takes over existing objects and reports them, and without
 * it CloudStack's uniqueness refusal comes back with the fix (and no secret).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVpnCustomerGateway, createVpnGateway, getVpnCustomerGateway } from "../../provider/cloudstack";
import { CheckFailedError, isSecret, secret, stripSecrets, type PropertyMap } from "../harness";
import { OTHER_PSK, startStack, TEST_PSK, type Stack } from "./helpers/stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack("4.22");
}, 120_000);
afterAll(async () => s?.stop());

const cg = (extra: Record<string, unknown> = {}) => ({ name: "branch-s", peer: { type: "static", gateway: "203.0.113.40" }, cidrList: ["192.168.40.0/24"], ipsecPsk: secret(TEST_PSK), ...extra });
/** Every output value that is not marked secret, as text. */
const publicText = (outputs: PropertyMap) => JSON.stringify(Object.fromEntries(Object.entries(outputs).filter(([, v]) => !isSecret(v))));

describe("check failures", () => {
  it("fails with every problem at its property path, and never quotes the PSK", async () => {
    const err = await s.cgw
      .up("bad", { peer: { type: "static", gateway: "127.1" }, cidrList: ["192.168.1.5/24", "10.0.0.0/8"], ipsecPsk: secret('bad"key'), ikePolicy: "aes256-sha256", ikeLifetime: 999999 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    const failures = (err as CheckFailedError).failures;
    expect(failures.map((f) => f.property).sort()).toEqual(["cidrList[0]", "ikeLifetime", "ikePolicy", "ipsecPsk", "peer.gateway"].sort());
    expect(failures.find((f) => f.property === "cidrList[0]")?.reason).toMatch(/host bits.*192\.168\.1\.0\/24/);
    expect(failures.find((f) => f.property === "ikePolicy")?.reason).toMatch(/DH group/);
    expect(JSON.stringify(failures) + String((err as Error).message)).not.toContain('bad"key');
    expect(s.cgw.names()).not.toContain("bad");
  });

  it("reports VpnGateway ssh and connection problems at their paths", async () => {
    const gw = await s.vgw.up("vgw-bad", { vpcId: "", ssh: secret({ host: "10.0.0.1", privateKey: "not a key", hostKey: "nope", port: 70000 }) }).catch((e: unknown) => e);
    expect((gw as CheckFailedError).failures.map((f) => f.property).sort()).toEqual(["ssh.port", "vpcId"]);
    const gw2 = await s.vgw.up("vgw-bad", { vpcId: "v", ssh: secret({ host: "10.0.0.1", privateKey: "not a key", hostKey: "nope" }) }).catch((e: unknown) => e);
    expect((gw2 as CheckFailedError).failures.map((f) => f.property).sort()).toEqual(["ssh.hostKey", "ssh.privateKey"]);
    expect(String((gw2 as Error).message)).not.toContain("not a key");
    const conn = await s.conn.up("conn-bad", { vpnGatewayId: "", customerGatewayId: "c", establishedTimeoutSeconds: 0, waitForEstablished: "yes" }).catch((e: unknown) => e);
    expect((conn as CheckFailedError).failures.map((f) => f.property).sort()).toEqual(["establishedTimeoutSeconds", "vpnGatewayId", "waitForEstablished"]);
  });

  it("accepts unknown values during preview and validates the known rest", async () => {
    const ok = await s.cgw.preview("p", cg({ name: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", cidrList: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }));
    expect(ok.op).toBe("create");
    const bad = await s.cgw.preview("p", cg({ cidrList: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", ikeLifetime: -1 })).catch((e: unknown) => e);
    expect((bad as CheckFailedError).failures.map((f) => f.property)).toEqual(["ikeLifetime"]);
  });
});

describe("secrets", () => {
  it("keeps the PSK out of every non-secret output, every diff and every error, and out of the host's output", async () => {
    const vgw = await s.vgw.up("vgw", { vpcId: s.cloud.seededVpc.id });
    const created = await s.cgw.up("cgw", cg());
    expect(isSecret(created.state.outputs.ipsecPsk)).toBe(true);
    expect(publicText(created.state.outputs)).not.toContain(TEST_PSK);
    // a PSK change is a diff on `ipsecPsk` only, shown by name
    const preview = await s.cgw.preview("cgw", cg({ ipsecPsk: secret(OTHER_PSK) }));
    expect(preview.op).toBe("update");
    expect(JSON.stringify(preview.diff)).not.toMatch(new RegExp(`${TEST_PSK}|${OTHER_PSK}`));
    const updated = await s.cgw.up("cgw", cg({ ipsecPsk: secret(OTHER_PSK) }));
    expect((await getVpnCustomerGateway(s.client, created.state.id))?.ipsecpsk).toBe(OTHER_PSK);
    expect(publicText(updated.state.outputs)).not.toContain(OTHER_PSK);
    // a refresh (CloudStack returns ipsecpsk in clear) keeps it secret
    const refreshed = await s.cgw.refresh("cgw");
    expect(isSecret(refreshed.state!.outputs.ipsecPsk)).toBe(true);
    expect(publicText(refreshed.state!.outputs)).not.toContain(OTHER_PSK);
    const conn = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: created.state.id, customerGatewaySpec: updated.state.outputs.spec, ipsecPsk: secret(OTHER_PSK) });
    expect(JSON.stringify(stripSecrets(conn.state.outputs))).not.toContain(OTHER_PSK);
    // an error from CloudStack (duplicate name) does not carry the key either
    const dup = await s.cgw.up("dup", cg({ ipsecPsk: secret(OTHER_PSK), name: "branch-s" })).catch((e: unknown) => e);
    expect(String((dup as Error).message)).toMatch(/already exists.*adoptExisting: true/);
    expect(String((dup as Error).message)).not.toContain(OTHER_PSK);
    await s.conn.destroy("conn");
    await s.cgw.destroy("cgw");
    await s.vgw.destroy("vgw");
    expect(s.host.output()).not.toMatch(new RegExp(`${TEST_PSK}|${OTHER_PSK}|${s.cloud.admin.secretKey}`));
  });
});

describe("adoptExisting", () => {
  it("takes over existing objects by their unique key and reports what it adopted", async () => {
    // GIVEN objects made outside the stack
    const gw = await createVpnGateway(s.client, { vpcId: s.cloud.seededVpc.id });
    const existing = await createVpnCustomerGateway(s.client, { name: "branch-old", gateway: "203.0.113.41", cidrList: "192.168.41.0/24", ipsecPsk: TEST_PSK, ikePolicy: "aes128-sha1;modp2048", espPolicy: "aes128-sha1" });
    // WHEN the stack declares them with adoptExisting
    const vgw = await s.vgw.up("vgw", { vpcId: s.cloud.seededVpc.id, adoptExisting: true });
    expect(vgw.state.id).toBe(gw.id);
    expect(stripSecrets(vgw.state.outputs.adopted!)).toEqual({ id: gw.id, vpcId: s.cloud.seededVpc.id, publicIp: s.cloud.seededVpc.publicIp });
    const cgw = await s.cgw.up("cgw", cg({ name: "branch-old", peer: { type: "static", gateway: "203.0.113.41" }, cidrList: ["192.168.41.0/24"], adoptExisting: true }));
    // THEN the same object, now holding the declared settings; the report names changed fields, never values
    expect(cgw.state.id).toBe(existing.id);
    expect(stripSecrets(cgw.state.outputs.adopted!)).toEqual({ id: existing.id, name: "branch-old", changedFields: ["ikePolicy", "espPolicy"] });
    expect((await getVpnCustomerGateway(s.client, existing.id))?.ikepolicy).toBe("aes256-sha256;modp2048");
    const conn = await s.conn.up("conn", { vpnGatewayId: gw.id, customerGatewayId: existing.id });
    const adoptedConn = await s.conn.up("conn2", { vpnGatewayId: gw.id, customerGatewayId: existing.id, adoptExisting: true });
    expect(adoptedConn.state.id).toBe(conn.state.id);
    expect(stripSecrets(adoptedConn.state.outputs.adopted!)).toMatchObject({ id: conn.state.id });
    // without adoptExisting, CloudStack's uniqueness comes back with the fix
    const refused = await s.vgw.up("vgw-again", { vpcId: s.cloud.seededVpc.id }).catch((e: unknown) => e);
    expect(String((refused as Error).message)).toMatch(/`vpcId`.*already has a VPN gateway.*adoptExisting: true/);
    await s.conn.destroy("conn2");
    await s.conn.destroy("conn"); // already gone: tolerated
    await s.cgw.destroy("cgw");
    await s.vgw.destroy("vgw");
  });
});

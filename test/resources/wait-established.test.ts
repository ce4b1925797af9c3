/**
 * `waitForEstablished` when the tunnel does not come up: the create fails with the reason and the fix, and the
 * connection is removed again (nothing is left in CloudStack or in the stack); once the peer is reachable the same
 * `up` succeeds. Static peer on 4.22; the in-memory router decides whether the status check sees ESTABLISHED.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listVpnConnections } from "../../provider/cloudstack";
import { secret, stripSecrets } from "../harness";
import { startStack, TEST_PSK, type Stack } from "./helpers/stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack("4.22");
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const PEER = "203.0.113.21";

describe("VpnConnection waitForEstablished", () => {
  it("fails after the timeout when the tunnel stays down, removes the connection, and succeeds once the peer is up", async () => {
    // GIVEN a gateway, a customer gateway, and a router whose link to that peer is cut
    const vpc = s.cloud.seededVpc;
    const vgw = await s.vgw.up("vgw", { vpcId: vpc.id });
    const cgw = await s.cgw.up("cgw", { name: "branch-down", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.21.0/24"], ipsecPsk: secret(TEST_PSK) });
    s.router.setConnected(vpc.id, PEER, false);

    // WHEN a connection is created that must be established within 2 s
    const started = Date.now();
    const error = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, waitForEstablished: true, establishedTimeoutSeconds: 2 }).catch((e: unknown) => e);

    // THEN the create fails naming the option, the timeout, the last state and the fix, after (not before) the timeout
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/`waitForEstablished`: .* was not established within 2s \(last state: \w+\); the connection was removed again.*raise `establishedTimeoutSeconds`/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect((error as Error).message).not.toContain(TEST_PSK);
    // AND nothing is left: no connection in CloudStack, none in the stack
    expect(await listVpnConnections(s.client, { vpcId: vpc.id })).toEqual([]);
    expect(s.conn.state("conn")).toBeUndefined();

    // WHEN the peer becomes reachable and the same `up` runs again
    s.router.setConnected(vpc.id, PEER, true);
    const conn = await s.conn.up("conn", { vpnGatewayId: vgw.state.id, customerGatewayId: cgw.state.id, waitForEstablished: true, establishedTimeoutSeconds: 20 });
    // THEN it is created and reported established
    expect(conn.op).toBe("create");
    expect(stripSecrets(conn.state.outputs as never)).toMatchObject({ state: "Connected", established: true });

    await s.conn.destroy("conn");
    await s.cgw.destroy("cgw");
    await s.vgw.destroy("vgw");
  });
});

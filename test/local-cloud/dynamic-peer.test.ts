import { describe, expect, it } from "vitest";
import { createTunnel, startTestCloud } from "./helpers/fixture";
import { STATIC_GATEWAY, waitUntil } from "./helpers/signed-client";

const { gateway: _unused, ...WITHOUT_GATEWAY } = STATIC_GATEWAY;
const DYNAMIC = { ...WITHOUT_GATEWAY, dynamicpeer: "true", remoteid: "branch@example.com", sourcecidrlist: "198.51.100.0/24" };

describe("dynamic-peer variant (apache/cloudstack#13512)", () => {
  it("advertises remoteid, dynamicpeer and sourcecidrlist in listApis and makes gateway optional", async () => {
    const { admin } = await startTestCloud({ variant: "dynamic-peer" });
    const api = (await admin.ok("listApis", { name: "createVpnCustomerGateway" })).api[0];
    const params = Object.fromEntries(api.params.map((p: any) => [p.name, p]));
    expect(params.gateway.required).toBe(false);
    expect(params.remoteid).toMatchObject({ type: "string", required: false });
    expect(params.dynamicpeer.type).toBe("boolean");
    expect(params.sourcecidrlist.type).toBe("string");
  });

  it("the stock variant does not advertise them and requires gateway", async () => {
    const { admin } = await startTestCloud();
    const api = (await admin.ok("listApis", { name: "createVpnCustomerGateway" })).api[0];
    const names = api.params.map((p: any) => p.name);
    expect(names).not.toContain("remoteid");
    expect(api.params.find((p: any) => p.name === "gateway").required).toBe(true);
    const reply = await admin.call("createVpnCustomerGateway", WITHOUT_GATEWAY);
    expect(reply.body.createvpncustomergatewayresponse.errortext).toMatch(/missing parameter gateway/);
  });

  it("creates a dynamic peer and returns its identity fields", async () => {
    const { admin } = await startTestCloud({ variant: "dynamic-peer" });
    const gw = (await admin.run("createVpnCustomerGateway", DYNAMIC)).jobresult.vpncustomergateway;
    expect(gw).toMatchObject({ name: "VPN-branch@example.com", remoteid: "branch@example.com", dynamicpeer: true, sourcecidrlist: "198.51.100.0/24" });
    expect(gw).not.toHaveProperty("gateway");
  });

  it.each([
    [{ ...DYNAMIC, remoteid: undefined }, /remote id \(IKE identity\) is required/],
    [{ ...DYNAMIC, gateway: "203.0.113.9" }, /ip\/Domain 203\.0\.113\.9 must be empty when dynamicpeer is true/],
    [{ ...DYNAMIC, remoteid: 'a"b' }, /remote id a"b is invalid/],
    [{ ...DYNAMIC, sourcecidrlist: "198.51.100.0/33" }, /source cidr list 198\.51\.100\.0\/33 contains an invalid cidr/],
    [{ ...WITHOUT_GATEWAY }, /ip\/Domain is required unless dynamicpeer is true/],
    [{ ...STATIC_GATEWAY, remoteid: "x.example.com" }, /remote id can only be set when dynamicpeer is true/],
    // Issue 10: identities strongSwan reads as "anyone", and static "peers" it would read as %any.
    [{ ...DYNAMIC, remoteid: "0.0.0.0" }, /remote id "0\.0\.0\.0" is a wildcard/],
    [{ ...DYNAMIC, remoteid: "::" }, /remote id "::" is a wildcard/],
    [{ ...DYNAMIC, remoteid: "0:0::0" }, /remote id "0:0::0" is the unspecified address/],
    [{ ...DYNAMIC, remoteid: "%any" }, /remote id "%any" is a wildcard/],
    [{ ...DYNAMIC, remoteid: "*" }, /remote id "\*" is a wildcard/],
    [{ ...DYNAMIC, remoteid: "*.example.com" }, /contains \*/],
    [{ ...DYNAMIC, remoteid: "C=FR, CN=*" }, /contains \*/],
    [{ ...DYNAMIC, remoteid: " " }, /is blank/],
    [{ ...STATIC_GATEWAY, gateway: "0.0.0.0" }, /ip 0\.0\.0\.0 is an unspecified address: strongSwan reads it as %any/],
  ])("fails with 431 %#", async (params, text) => {
    const { admin } = await startTestCloud({ variant: "dynamic-peer" });
    const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const reply = await admin.call("createVpnCustomerGateway", clean);
    expect(reply.status).toBe(431);
    expect(reply.body.createvpncustomergatewayresponse.errortext).toMatch(text);
  });

  it("the stock variant keeps answering as CloudStack does: a 0.0.0.0 gateway is accepted there", async () => {
    const { admin } = await startTestCloud();
    const job = await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, gateway: "0.0.0.0" });
    expect(job.jobresult.vpncustomergateway.gateway).toBe("0.0.0.0");
  });

  it("sends a bag with peer_id and no peer_gateway_ip, and the status check keys on peer_id", async () => {
    const { cloud, admin, router } = await startTestCloud({ variant: "dynamic-peer", statusCheckIntervalMs: 20 });
    const { connId } = await createTunnel(admin, cloud.seededVpc.id, DYNAMIC);
    const [bag] = router.bagsFor(cloud.seededVpc.id);
    expect(bag).toMatchObject({ dynamic_peer: true, peer_id: "branch@example.com", peer_id_type: "email", peer_source_cidr_list: "198.51.100.0/24" });
    expect(bag).not.toHaveProperty("peer_gateway_ip");
    const state = async () => (await admin.ok("listVpnConnections", { id: connId })).vpnconnection[0].state;
    await waitUntil(async () => (await state()) === "Connected");
    router.setConnected(cloud.seededVpc.id, "branch@example.com", false);
    await waitUntil(async () => (await state()) === "Disconnected");
  });

  it("fails at connection create when another dynamic peer on the gateway has the same remoteid", async () => {
    const { cloud, admin } = await startTestCloud({ variant: "dynamic-peer" });
    const { vgwId } = await createTunnel(admin, cloud.seededVpc.id, { ...DYNAMIC, name: "a", cidrlist: "192.168.1.0/24" });
    const second = (await admin.run("createVpnCustomerGateway", { ...DYNAMIC, name: "b", cidrlist: "192.168.2.0/24" })).jobresult.vpncustomergateway.id;
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgwId, s2scustomergatewayid: second });
    expect(reply.status).toBe(431);
    expect(reply.body.createvpnconnectionresponse.errortext).toMatch(/remote id branch@example\.com is already used by another VPN connection/);
  });

  it("update is a full replace for the peer fields too: omitting dynamicpeer turns the gateway static", async () => {
    const { admin } = await startTestCloud({ variant: "dynamic-peer" });
    const id = (await admin.run("createVpnCustomerGateway", DYNAMIC)).jobresult.vpncustomergateway.id;
    const job = await admin.run("updateVpnCustomerGateway", { id, ...STATIC_GATEWAY });
    expect(job.jobresult.vpncustomergateway).toMatchObject({ gateway: STATIC_GATEWAY.gateway, dynamicpeer: false });
    expect(job.jobresult.vpncustomergateway).not.toHaveProperty("remoteid");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type FakeCloudStack, type FakeRequest, jobResult, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient } from "./helpers/test-client";
import * as cs from "../../provider/cloudstack";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Answers every async command with job "j" and records the parameters each command was sent with. */
async function recordingServer(result: Record<string, unknown> = { success: true }): Promise<FakeCloudStack> {
  return startFakeCloudStack((req: FakeRequest) =>
    req.command === "queryAsyncJobResult"
      ? jobResult({ jobid: "j", jobstatus: 1, jobresult: result })
      : req.command.startsWith("list")
        ? ok(req.command, { count: 1, vpngateway: [{ id: "new-id", vpcid: "v" }] })
        : ok(req.command, { id: "e", jobid: "j" }),
  );
}

const sent = (f: FakeCloudStack, command: string) => {
  const { signature: _s, expires: _e, apiKey: _a, response: _r, signatureversion: _v, command: _c, ...rest } = f.requests.find((r) => r.command === command)!.params;
  return rest;
};

const BASE = { cidrList: ["10.1.0.0/24", "10.2.0.0/24"], ipsecPsk: "psk-value-1", ikePolicy: "aes256-sha256;modp2048", espPolicy: "aes256-sha256" };

describe("typed commands", () => {
  it("map camelCase parameters to CloudStack's lowercase names and join lists with commas", async () => {
    fake = await recordingServer({ vpncustomergateway: { id: "e" } });
    const { client } = testClient(fake.url);
    await cs.createVpnCustomerGateway(client, { ...BASE, name: "n", gateway: "203.0.113.1", ikeLifetime: 28800, dpd: true, forceEncap: false, splitConnections: true, ikeVersion: "ikev2", domainId: "d", account: "acct" });
    expect(sent(fake, "createVpnCustomerGateway")).toEqual({
      name: "n", gateway: "203.0.113.1", cidrlist: "10.1.0.0/24,10.2.0.0/24", ipsecpsk: "psk-value-1", ikepolicy: "aes256-sha256;modp2048",
      esppolicy: "aes256-sha256", ikelifetime: "28800", dpd: "true", forceencap: "false", splitconnections: "true", ikeversion: "ikev2", domainid: "d", account: "acct",
    });
    client.close();
  });

  it("send the dynamic-peer parameters only when set", async () => {
    fake = await recordingServer({ vpncustomergateway: { id: "e" } });
    const { client } = testClient(fake.url);
    await cs.createVpnCustomerGateway(client, { ...BASE, name: "static", gateway: "203.0.113.1" });
    expect(Object.keys(sent(fake, "createVpnCustomerGateway"))).not.toEqual(expect.arrayContaining(["remoteid"]));
    expect(sent(fake, "createVpnCustomerGateway")).not.toHaveProperty("dynamicpeer");
    expect(sent(fake, "createVpnCustomerGateway")).not.toHaveProperty("sourcecidrlist");
    fake.requests.length = 0;
    await cs.updateVpnCustomerGateway(client, { ...BASE, id: "c", name: "dyn", dynamicPeer: true, remoteId: "peer@example.com", sourceCidrList: ["0.0.0.0/0"] });
    expect(sent(fake, "updateVpnCustomerGateway")).toMatchObject({ id: "c", dynamicpeer: "true", remoteid: "peer@example.com", sourcecidrlist: "0.0.0.0/0" });
    expect(sent(fake, "updateVpnCustomerGateway")).not.toHaveProperty("gateway");
    client.close();
  });

  it.each([
    ["createVpnGateway", (c: cs.CloudStackClient) => cs.createVpnGateway(c, { vpcId: "v", ipAddressId: "ip" }), { vpcid: "v", ipaddressid: "ip" }],
    ["createVpnConnection", (c: cs.CloudStackClient) => cs.createVpnConnection(c, { s2sVpnGatewayId: "g", s2sCustomerGatewayId: "c", passive: true }), { s2svpngatewayid: "g", s2scustomergatewayid: "c", passive: "true" }],
    ["updateVpnConnection", (c: cs.CloudStackClient) => cs.updateVpnConnection(c, { id: "x", customId: "y", forDisplay: false }), { id: "x", customid: "y", fordisplay: "false" }],
    ["resetVpnConnection", (c: cs.CloudStackClient) => cs.resetVpnConnection(c, { id: "x" }), { id: "x" }],
    ["deleteVpnConnection", (c: cs.CloudStackClient) => cs.deleteVpnConnection(c, "x"), { id: "x" }],
    ["deleteVpnGateway", (c: cs.CloudStackClient) => cs.deleteVpnGateway(c, "x"), { id: "x" }],
    ["deleteVpnCustomerGateway", (c: cs.CloudStackClient) => cs.deleteVpnCustomerGateway(c, "x"), { id: "x" }],
    ["createVPC", (c: cs.CloudStackClient) => cs.createVpc(c, { name: "v", cidr: "10.0.0.0/16", vpcOfferingId: "o", zoneId: "z", start: false }), { name: "v", cidr: "10.0.0.0/16", vpcofferingid: "o", zoneid: "z", start: "false" }],
    ["deleteVPC", (c: cs.CloudStackClient) => cs.deleteVpc(c, "x"), { id: "x" }],
  ] as const)("%s sends exactly its parameters", async (command, run, expected) => {
    fake = await recordingServer({ vpngateway: { id: "e" }, vpnconnection: { id: "e" }, vpc: { id: "e" }, success: true });
    const { client } = testClient(fake.url);
    await run(client);
    expect(sent(fake, command)).toEqual(expected);
    client.close();
  });

  it("updateVpnGateway reads the gateway back, since CloudStack's job returns no object", async () => {
    fake = await recordingServer({});
    const { client } = testClient(fake.url);
    await expect(cs.updateVpnGateway(client, { id: "old-id", customId: "new-id" })).resolves.toMatchObject({ id: "new-id" });
    expect(fake.requests.find((r) => r.command === "listVpnGateways")!.params.id).toBe("new-id");
    client.close();
  });

  it.each([
    ["listVpcs", "listVPCs"],
    ["listVpcOfferings", "listVPCOfferings"],
    ["listZones", "listZones"],
    ["listPublicIpAddresses", "listPublicIpAddresses"],
    ["listVpnConnections", "listVpnConnections"],
    ["listVpnGateways", "listVpnGateways"],
    ["listVpnCustomerGateways", "listVpnCustomerGateways"],
  ] as const)("%s calls CloudStack's %s", async (fn, command) => {
    fake = await startFakeCloudStack((req) => ok(req.command, {}));
    const { client } = testClient(fake.url);
    await (cs[fn] as (c: cs.CloudStackClient) => Promise<unknown[]>)(client);
    expect(fake.commands()).toEqual([command]);
    client.close();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { apiError, type FakeCloudStack, type FakeReply, type FakeRequest, jobResult, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient } from "./helpers/test-client";
import { createVpnCustomerGateway, deleteVpnCustomerGateway } from "../../provider/cloudstack/commands/vpn-customer-gateway";
import { createVpnGateway } from "../../provider/cloudstack/commands/vpn-gateway";
import { createVpnConnection } from "../../provider/cloudstack/commands/vpn-connection";
import { createVpc } from "../../provider/cloudstack/commands/vpc";
import { CloudStackApiError, CloudStackTransportError } from "../../provider/cloudstack/errors";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const PARAMS = { name: "site-a", gateway: "203.0.113.10", cidrList: "192.168.10.0/24", ipsecPsk: "psk-value-1", ikePolicy: "aes128-sha1;modp1536", espPolicy: "aes128-sha1" };
const CGW = { id: "cgw-1", name: "site-a", gateway: "203.0.113.10" };

/** A tiny stateful customer-gateway store; `onCreate` decides what the wire does to each create. */
function gatewayServer(onCreate: (n: number) => "ok" | "reset-after-commit" | "reset-before" | "503-before" | "429" | "hang-after-commit") {
  const stored: Array<typeof CGW & { jobid?: string; jobstatus?: number }> = [];
  let creates = 0;
  return {
    stored,
    handler: async (req: FakeRequest): Promise<FakeReply> => {
      switch (req.command) {
        case "createVpnCustomerGateway": {
          const mode = onCreate(++creates);
          if (mode === "429") return apiError(req.command, 429, "There are too many API calls");
          if (mode === "reset-before") return "reset";
          if (mode === "503-before") return { status: 503, body: "unavailable" };
          if (stored.some((g) => g.name === req.params.name)) {
            return apiError(req.command, 431, `The customer gateway with name ${req.params.name} already exists!`, 4350);
          }
          stored.push({ ...CGW, id: `cgw-${creates}` });
          if (mode === "reset-after-commit") return "reset";
          if (mode === "hang-after-commit") return "hang";
          return ok(req.command, { id: `cgw-${creates}`, jobid: `job-${creates}` });
        }
        case "listVpnCustomerGateways": {
          const items = stored.filter((g) => req.params.keyword === undefined || g.name.includes(req.params.keyword));
          return ok(req.command, items.length ? { count: items.length, vpncustomergateway: items } : {});
        }
        case "queryAsyncJobResult":
          return jobResult({ jobid: req.params.jobid, jobstatus: 1, jobresult: { vpncustomergateway: stored[0] } });
        default:
          return apiError(req.command, 432, `Unknown API command: ${req.command}`);
      }
    },
  };
}

describe("create* after an ambiguous failure", () => {
  it("returns the object found by name instead of resending when the reset came after CloudStack created it", async () => {
    const server = gatewayServer(() => "reset-after-commit");
    fake = await startFakeCloudStack(server.handler);
    const { client } = testClient(fake.url);
    await expect(createVpnCustomerGateway(client, PARAMS)).resolves.toMatchObject({ id: "cgw-1", name: "site-a" });
    expect(fake.commands().filter((c) => c === "createVpnCustomerGateway")).toHaveLength(1);
    expect(server.stored).toHaveLength(1);
    client.close();
  });

  it("resends the create when the lookup finds nothing (a reset before processing)", async () => {
    const server = gatewayServer((n) => (n === 1 ? "reset-before" : "ok"));
    fake = await startFakeCloudStack(server.handler);
    const { client } = testClient(fake.url);
    await createVpnCustomerGateway(client, PARAMS);
    expect(fake.commands()).toEqual(["createVpnCustomerGateway", "listVpnCustomerGateways", "createVpnCustomerGateway", "queryAsyncJobResult"]);
    expect(server.stored).toHaveLength(1);
    client.close();
  });

  it("treats 503 as ambiguous: looks up before resending", async () => {
    const server = gatewayServer((n) => (n === 1 ? "503-before" : "ok"));
    fake = await startFakeCloudStack(server.handler);
    const { client } = testClient(fake.url);
    await createVpnCustomerGateway(client, PARAMS);
    expect(fake.commands().slice(0, 3)).toEqual(["createVpnCustomerGateway", "listVpnCustomerGateways", "createVpnCustomerGateway"]);
    client.close();
  });

  it("resends a throttled (429) create directly, without a lookup", async () => {
    const server = gatewayServer((n) => (n === 1 ? "429" : "ok"));
    fake = await startFakeCloudStack(server.handler);
    const { client } = testClient(fake.url);
    await createVpnCustomerGateway(client, PARAMS);
    expect(fake.commands()).toEqual(["createVpnCustomerGateway", "createVpnCustomerGateway", "queryAsyncJobResult"]);
    client.close();
  });

  it("adopts the object after a request timeout when CloudStack did create it", async () => {
    const server = gatewayServer(() => "hang-after-commit");
    fake = await startFakeCloudStack(server.handler);
    const { client } = testClient(fake.url, { requestTimeoutMs: 150 });
    await expect(createVpnCustomerGateway(client, PARAMS)).resolves.toMatchObject({ id: "cgw-1" });
    expect(fake.commands().filter((c) => c === "createVpnCustomerGateway")).toHaveLength(1);
    client.close();
  });

  it("adopts when a resend collides with 'already exists' (the first create landed late)", async () => {
    let lists = 0;
    const server = gatewayServer((n) => (n === 1 ? "reset-after-commit" : "ok"));
    fake = await startFakeCloudStack((req) => {
      // The first lookup runs before CloudStack has committed the first create.
      if (req.command === "listVpnCustomerGateways" && ++lists === 1) return ok(req.command, {});
      return server.handler(req);
    });
    const { client } = testClient(fake.url);
    await expect(createVpnCustomerGateway(client, PARAMS)).resolves.toMatchObject({ id: "cgw-1" });
    expect(server.stored).toHaveLength(1);
    client.close();
  });

  it("fails with a first-attempt 'already exists' instead of adopting someone else's gateway", async () => {
    const server = gatewayServer(() => "ok");
    server.stored.push({ ...CGW, id: "theirs" });
    fake = await startFakeCloudStack(server.handler);
    const { client } = testClient(fake.url);
    await expect(createVpnCustomerGateway(client, PARAMS)).rejects.toThrow(/errorcode 431.*already exists/);
    client.close();
  });

  it("waits for the found object's own pending job", async () => {
    let polled = false;
    fake = await startFakeCloudStack((req) => {
      if (req.command === "createVpnCustomerGateway") return "reset";
      if (req.command === "listVpnCustomerGateways") return ok(req.command, { count: 1, vpncustomergateway: [{ ...CGW, jobid: "job-x", jobstatus: 0 }] });
      polled = true;
      return jobResult({ jobid: "job-x", jobstatus: 1, jobresult: { vpncustomergateway: { ...CGW, ikeversion: "ike" } } });
    });
    const { client } = testClient(fake.url);
    await expect(createVpnCustomerGateway(client, PARAMS)).resolves.toMatchObject({ id: "cgw-1", ikeversion: "ike" });
    expect(polled).toBe(true);
    client.close();
  });

  it("fails without resending when the gateway has no name to look up (dynamic peer without name)", async () => {
    fake = await startFakeCloudStack(() => "reset");
    const { client } = testClient(fake.url);
    const { name: _n, gateway: _g, ...unnamed } = PARAMS;
    await expect(createVpnCustomerGateway(client, { ...unnamed, dynamicPeer: true, remoteId: "peer.example.com" })).rejects.toBeInstanceOf(
      CloudStackTransportError,
    );
    expect(fake.commands()).toEqual(["createVpnCustomerGateway"]);
    client.close();
  });

  it("never resends createVPC after an ambiguous failure (VPC names are not unique)", async () => {
    fake = await startFakeCloudStack(() => ({ status: 502, body: "bad gateway" }));
    const { client } = testClient(fake.url);
    await expect(createVpc(client, { name: "v", cidr: "10.0.0.0/16", vpcOfferingId: "o", zoneId: "z" })).rejects.toBeInstanceOf(CloudStackApiError);
    expect(fake.commands()).toEqual(["createVPC"]);
    client.close();
  });

  it("finds a VPN gateway by its VPC", async () => {
    fake = await startFakeCloudStack((req) => {
      if (req.command === "createVpnGateway") return "reset";
      expect(req.params).toMatchObject({ vpcid: "vpc-1", listall: "true" });
      return ok(req.command, { count: 1, vpngateway: [{ id: "vgw-1", vpcid: "vpc-1", publicip: "198.51.100.10" }] });
    });
    const { client } = testClient(fake.url);
    await expect(createVpnGateway(client, { vpcId: "vpc-1" })).resolves.toMatchObject({ id: "vgw-1" });
    expect(fake.commands()).toEqual(["createVpnGateway", "listVpnGateways"]);
    client.close();
  });

  it("finds a connection by its (VPN gateway, customer gateway) pair", async () => {
    fake = await startFakeCloudStack((req) => {
      if (req.command === "createVpnConnection") return "reset";
      if (req.command === "listVpnGateways") return ok(req.command, { count: 1, vpngateway: [{ id: "vgw-1", vpcid: "vpc-1" }] });
      expect(req.params.vpcid).toBe("vpc-1");
      return ok(req.command, {
        count: 2,
        vpnconnection: [
          { id: "other", s2svpngatewayid: "vgw-1", s2scustomergatewayid: "cgw-2", state: "Connected" },
          { id: "mine", s2svpngatewayid: "vgw-1", s2scustomergatewayid: "cgw-1", state: "Connecting" },
        ],
      });
    });
    const { client } = testClient(fake.url);
    await expect(createVpnConnection(client, { s2sVpnGatewayId: "vgw-1", s2sCustomerGatewayId: "cgw-1" })).resolves.toMatchObject({ id: "mine" });
    client.close();
  });
});

describe("delete* after an ambiguous failure", () => {
  it("succeeds without resending when the object is already gone", async () => {
    fake = await startFakeCloudStack((req) => (req.command === "deleteVpnCustomerGateway" ? "reset" : ok(req.command, {})));
    const { client } = testClient(fake.url);
    await expect(deleteVpnCustomerGateway(client, "cgw-1")).resolves.toMatchObject({ jobstatus: 1 });
    expect(fake.commands()).toEqual(["deleteVpnCustomerGateway", "listVpnCustomerGateways"]);
    client.close();
  });

  it("resends when the object is still there", async () => {
    let deletes = 0;
    fake = await startFakeCloudStack((req) => {
      if (req.command === "deleteVpnCustomerGateway") return ++deletes === 1 ? "reset" : ok(req.command, { jobid: "job-d" });
      if (req.command === "listVpnCustomerGateways") return ok(req.command, { count: 1, vpncustomergateway: [CGW] });
      return jobResult({ jobid: "job-d", jobstatus: 1, jobresult: { success: true } });
    });
    const { client } = testClient(fake.url);
    await expect(deleteVpnCustomerGateway(client, "cgw-1")).resolves.toMatchObject({ jobstatus: 1 });
    expect(deletes).toBe(2);
    client.close();
  });
});

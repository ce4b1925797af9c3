import { afterEach, describe, expect, it } from "vitest";
import { type FakeCloudStack, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient } from "./helpers/test-client";
import { listAll, paginate } from "../../provider/cloudstack/paginate";
import { VPN_CUSTOMER_GATEWAYS, listVpnCustomerGateways } from "../../provider/cloudstack/commands/vpn-customer-gateway";
import { CloudStackResponseError } from "../../provider/cloudstack/errors";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const gw = (n: number) => ({ id: `cgw-${n}`, name: `gw-${n}` });
const CMD = "listVpnCustomerGateways";

describe("paginate", () => {
  it("yields nothing for the empty-list quirk (no count, no item key)", async () => {
    fake = await startFakeCloudStack(() => ({ json: { listvpncustomergatewaysresponse: {} } }));
    const { client } = testClient(fake.url);
    await expect(listVpnCustomerGateways(client)).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(1);
    client.close();
  });

  it("stops at a page that carries count but no items", async () => {
    fake = await startFakeCloudStack((req) =>
      req.params.page === "1" ? ok(CMD, { count: 4, vpncustomergateway: [gw(1), gw(2)] }) : ok(CMD, { count: 4 }),
    );
    const { client } = testClient(fake.url);
    await expect(listAll(client, VPN_CUSTOMER_GATEWAYS, {}, { pageSize: 2 })).resolves.toHaveLength(2);
    expect(fake.requests.map((r) => r.params.page)).toEqual(["1", "2"]);
    client.close();
  });

  it("reads every page and stops after a short last page", async () => {
    const all = [1, 2, 3, 4, 5].map(gw);
    fake = await startFakeCloudStack((req) => {
      const page = Number(req.params.page);
      const size = Number(req.params.pagesize);
      return ok(CMD, { count: all.length, vpncustomergateway: all.slice((page - 1) * size, page * size) });
    });
    const { client } = testClient(fake.url);
    const ids = (await listAll(client, VPN_CUSTOMER_GATEWAYS, {}, { pageSize: 2 })).map((g) => g.id);
    expect(ids).toEqual(["cgw-1", "cgw-2", "cgw-3", "cgw-4", "cgw-5"]);
    expect(fake.requests.map((r) => r.params.page)).toEqual(["1", "2", "3"]);
    client.close();
  });

  it("stops without an extra request when count is reached on a full page", async () => {
    fake = await startFakeCloudStack(() => ok(CMD, { count: 2, vpncustomergateway: [gw(1), gw(2)] }));
    const { client } = testClient(fake.url);
    await listAll(client, VPN_CUSTOMER_GATEWAYS, {}, { pageSize: 2 });
    expect(fake.requests).toHaveLength(1);
    client.close();
  });

  it("stops on a repeated page (a server ignoring `page`) instead of looping", async () => {
    fake = await startFakeCloudStack(() => ok(CMD, { count: 100, vpncustomergateway: [gw(1), gw(2)] }));
    const { client } = testClient(fake.url);
    await expect(listAll(client, VPN_CUSTOMER_GATEWAYS, {}, { pageSize: 2 })).resolves.toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
    client.close();
  });

  it("drops an item repeated across pages when a create shifted the rows", async () => {
    fake = await startFakeCloudStack((req) =>
      req.params.page === "1" ? ok(CMD, { count: 3, vpncustomergateway: [gw(3), gw(2)] }) : ok(CMD, { count: 4, vpncustomergateway: [gw(2), gw(1)] }),
    );
    const { client } = testClient(fake.url);
    const ids = (await listAll(client, VPN_CUSTOMER_GATEWAYS, {}, { pageSize: 2 })).map((g) => g.id);
    expect(ids).toEqual(["cgw-3", "cgw-2", "cgw-1"]);
    client.close();
  });

  it("is lazy: breaking out early requests no further pages", async () => {
    fake = await startFakeCloudStack(() => ok(CMD, { count: 100, vpncustomergateway: [gw(Math.random()), gw(Math.random())] }));
    const { client } = testClient(fake.url);
    for await (const item of paginate(client, VPN_CUSTOMER_GATEWAYS, {}, { pageSize: 2 })) {
      expect(item.id).toMatch(/^cgw-/);
      break;
    }
    expect(fake.requests).toHaveLength(1);
    client.close();
  });

  it("keeps unknown keys and types the ones the provider reads", async () => {
    fake = await startFakeCloudStack(() => ok(CMD, { count: 1, vpncustomergateway: [{ ...gw(1), ikelifetime: "86400", dpd: "true", newfield: { x: 1 } }] }));
    const { client } = testClient(fake.url);
    const [item] = await listVpnCustomerGateways(client);
    expect(item).toEqual({ ...gw(1), ikelifetime: 86400, dpd: true, newfield: { x: 1 } });
    client.close();
  });

  it("fails naming the path when an item lacks its id, without quoting values", async () => {
    fake = await startFakeCloudStack(() => ok(CMD, { count: 1, vpncustomergateway: [{ name: "x", ipsecpsk: "leaky-psk-value" }] }));
    const { client } = testClient(fake.url);
    const error = await listVpnCustomerGateways(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackResponseError);
    expect((error as Error).message).toMatch(/listVpnCustomerGateways.*`vpncustomergateway\.0\.id`/);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain("leaky-psk-value");
    client.close();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type FakeCloudStack, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient } from "./helpers/test-client";
import { listApis, listCapabilities, supportsDynamicPeer } from "../../provider/cloudstack/capabilities";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const api = (params: string[]) => ({
  count: 1,
  api: [{ name: "createVpnCustomerGateway", isasync: true, params: params.map((name) => ({ name, required: false, type: "string" })) }],
});

describe("supportsDynamicPeer", () => {
  it("is true when createVpnCustomerGateway advertises dynamicpeer", async () => {
    fake = await startFakeCloudStack((req) => ok(req.command, api(["gateway", "dynamicpeer", "remoteid", "sourcecidrlist"])));
    const { client } = testClient(fake.url);
    await expect(supportsDynamicPeer(client)).resolves.toBe(true);
    expect(fake.requests[0]!.params).toMatchObject({ command: "listApis", name: "createVpnCustomerGateway" });
    client.close();
  });

  it("is false on stock CloudStack", async () => {
    fake = await startFakeCloudStack((req) => ok(req.command, api(["gateway", "ikeversion"])));
    const { client } = testClient(fake.url);
    await expect(supportsDynamicPeer(client)).resolves.toBe(false);
    client.close();
  });

  it("asks listApis once per client", async () => {
    fake = await startFakeCloudStack((req) => ok(req.command, api(["dynamicpeer"])));
    const { client } = testClient(fake.url);
    await Promise.all([supportsDynamicPeer(client), supportsDynamicPeer(client)]);
    await supportsDynamicPeer(client);
    expect(fake.requests).toHaveLength(1);
    const other = testClient(fake.url).client;
    await supportsDynamicPeer(other);
    expect(fake.requests).toHaveLength(2);
    client.close();
    other.close();
  });

  it("does not cache a failed probe", async () => {
    let n = 0;
    fake = await startFakeCloudStack((req) => (++n === 1 ? { status: 401, json: { errorresponse: { errorcode: 401, errortext: "no" } } } : ok(req.command, api(["dynamicpeer"]))));
    const { client } = testClient(fake.url);
    await expect(listApis(client, "createVpnCustomerGateway")).rejects.toThrow(/401/);
    await expect(supportsDynamicPeer(client)).resolves.toBe(true);
    client.close();
  });
});

describe("listCapabilities", () => {
  it("returns the capability object with the API limits typed", async () => {
    fake = await startFakeCloudStack((req) => ok(req.command, { capability: { cloudstackversion: "4.22.0.0", apilimitmax: 25, apilimitinterval: 1, x: 1 } }));
    const { client } = testClient(fake.url);
    await expect(listCapabilities(client)).resolves.toEqual({ cloudstackversion: "4.22.0.0", apilimitmax: 25, apilimitinterval: 1, x: 1 });
    client.close();
  });
});

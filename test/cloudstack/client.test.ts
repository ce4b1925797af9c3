import { afterEach, describe, expect, it } from "vitest";
import { apiError, FAKE_API_KEY, type FakeCloudStack, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient } from "./helpers/test-client";
import { CloudStackApiError, CloudStackResponseError, CloudStackTransportError } from "../../provider/cloudstack/errors";
import { listZones } from "../../provider/cloudstack/commands/vpc";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("CloudStackClient.call", () => {
  it("POSTs a signed form body and nothing in the URL", async () => {
    fake = await startFakeCloudStack(() => ok("listZones", { count: 1, zone: [{ id: "z1", name: "zone-1" }] }));
    const { client } = testClient(fake.url);
    await expect(listZones(client)).resolves.toEqual([{ id: "z1", name: "zone-1" }]);
    const [req] = fake.requests;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe("/client/api");
    expect(req!.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req!.signatureValid).toBe(true);
    expect(req!.params).toMatchObject({ command: "listZones", response: "json", apiKey: FAKE_API_KEY, signatureversion: "3" });
    expect(req!.params.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    client.close();
  });

  it("sets expires to now plus the signature window", async () => {
    fake = await startFakeCloudStack(() => ok("listZones", {}));
    const { client } = testClient(fake.url, { clock: { now: () => Date.UTC(2030, 0, 1) }, signatureTtlSeconds: 900 });
    await client.call("listZones");
    expect(fake.requests[0]!.params.expires).toBe("2030-01-01T00:15:00+0000");
    client.close();
  });

  it("fails with CloudStack's own codes and text on a synchronous 431", async () => {
    fake = await startFakeCloudStack(() =>
      apiError("createVpnConnection", 431, "The vpn connection with customer gateway id 1 and vpn gateway id 2 already existed!", 4350),
    );
    const { client } = testClient(fake.url);
    const error = await client.call("createVpnConnection", { s2svpngatewayid: "a" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackApiError);
    expect(error).toMatchObject({ command: "createVpnConnection", httpStatus: 431, errorCode: 431, csErrorCode: 4350 });
    expect((error as Error).message).toBe(
      "cloudstack createVpnConnection failed (errorcode 431, cserrorcode 4350): The vpn connection with customer gateway id 1 and vpn gateway id 2 already existed!",
    );
    expect(fake.requests).toHaveLength(1);
    client.close();
  });

  it("fails at once on a 401 bad signature (no cserrorcode), without retrying", async () => {
    fake = await startFakeCloudStack(() => apiError("listZones", 401, "unable to verify user credentials and/or request signature"));
    const { client } = testClient(fake.url);
    await expect(client.call("listZones")).rejects.toThrow(/^cloudstack listZones failed \(errorcode 401\): unable to verify/);
    expect(fake.requests).toHaveLength(1);
    client.close();
  });

  it("reads the errorresponse envelope of an unknown command", async () => {
    fake = await startFakeCloudStack(() => ({ status: 432, json: { errorresponse: { uuidList: [], errorcode: 432, cserrorcode: 9999, errortext: "Unknown API command: nope" } } }));
    const { client } = testClient(fake.url);
    await expect(client.call("nope")).rejects.toMatchObject({ errorCode: 432, csErrorCode: 9999, errorText: "Unknown API command: nope" });
    client.close();
  });

  it("retries HTTP 429 and succeeds", async () => {
    let n = 0;
    fake = await startFakeCloudStack(() => (++n <= 2 ? apiError("listZones", 429, "There are too many API calls") : ok("listZones", {})));
    const { client } = testClient(fake.url);
    await expect(client.call("listZones")).resolves.toEqual({});
    expect(fake.requests).toHaveLength(3);
    client.close();
  });

  it("retries 503 and connection resets for a list command", async () => {
    let n = 0;
    fake = await startFakeCloudStack(() => {
      n++;
      if (n === 1) return { status: 503, body: "<html>Service Unavailable</html>", headers: { "content-type": "text/html" } };
      if (n === 2) return "reset";
      return ok("listZones", {});
    });
    const { client } = testClient(fake.url);
    await expect(client.call("listZones")).resolves.toEqual({});
    expect(fake.requests).toHaveLength(3);
    client.close();
  });

  it("never retries CloudStack's 530 even though it looks like a 5xx", async () => {
    fake = await startFakeCloudStack(() => apiError("listZones", 530, "Internal error executing command, please contact your system administrator", 4250));
    const { client } = testClient(fake.url);
    await expect(client.call("listZones")).rejects.toMatchObject({ httpStatus: 530, errorCode: 530 });
    expect(fake.requests).toHaveLength(1);
    client.close();
  });

  it("gives up after maxAttempts with the last error", async () => {
    fake = await startFakeCloudStack(() => ({ status: 503, body: "busy" }));
    const { client } = testClient(fake.url, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(client.call("listZones")).rejects.toThrow(/cloudstack listZones failed \(HTTP 503\): non-JSON reply of 4 bytes/);
    expect(fake.requests).toHaveLength(3);
    client.close();
  });

  it("fails with a timeout when the server does not answer in requestTimeoutMs", async () => {
    fake = await startFakeCloudStack(() => "hang");
    const { client } = testClient(fake.url, { requestTimeoutMs: 100, retry: { maxAttempts: 1 } });
    const error = await client.call("listZones").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackTransportError);
    expect(error).toMatchObject({ kind: "timeout" });
    expect((error as Error).message).toMatch(/no complete reply within 100 ms.*requestTimeoutMs/);
    client.close();
  });

  it("fails as refused when nothing listens, and retries that", async () => {
    const { client } = testClient("http://127.0.0.1:1/client/api", { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(client.call("listZones")).rejects.toMatchObject({ kind: "refused", errno: "ECONNREFUSED" });
    client.close();
  });

  it("fails when a 200 body is not JSON", async () => {
    fake = await startFakeCloudStack(() => ({ body: "<xml/>" }));
    const { client } = testClient(fake.url);
    await expect(client.call("listZones")).rejects.toBeInstanceOf(CloudStackResponseError);
    client.close();
  });

  it("honours Retry-After on a 429", async () => {
    let n = 0;
    fake = await startFakeCloudStack(() => (++n === 1 ? { ...(apiError("listZones", 429, "slow down") as object), headers: { "retry-after": "0.2" } } : ok("listZones", {})));
    const slept: number[] = [];
    const { client } = testClient(fake.url, { sleep: async (ms) => void slept.push(ms), retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5000 } });
    await client.call("listZones");
    expect(slept.some((ms) => ms >= 200)).toBe(true);
    client.close();
  });

  it("logs command, attempt, status and duration per request", async () => {
    fake = await startFakeCloudStack(() => ok("listZones", {}));
    const { client, logs } = testClient(fake.url);
    await client.call("listZones", { name: "z" });
    expect(logs.lines[0]).toMatch(/^cloudstack listZones attempt 1\/4: HTTP 200 in \d+ ms params: name="z"$/);
    client.close();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { apiError, FAKE_SECRET_KEY, type FakeCloudStack, jobResult, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient } from "./helpers/test-client";
import { createVpnCustomerGateway, updateVpnCustomerGateway } from "../../provider/cloudstack/commands/vpn-customer-gateway";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const PSK = "Very$ecret-PSK-4711";
const PARAMS = { name: "site-a", gateway: "203.0.113.10", cidrList: "192.168.10.0/24", ipsecPsk: PSK, ikePolicy: "aes128-sha1;modp1536", espPolicy: "aes128-sha1" };

function expectNoSecrets(text: string, signatures: string[]): void {
  expect(text).not.toContain(PSK);
  expect(text).not.toContain(encodeURIComponent(PSK));
  expect(text).not.toContain(FAKE_SECRET_KEY);
  for (const signature of signatures) expect(text).not.toContain(signature);
}

describe("secrets", () => {
  it("never put the PSK, secret key or signature in the URL", async () => {
    fake = await startFakeCloudStack((req) =>
      req.command === "createVpnCustomerGateway" ? ok(req.command, { id: "c", jobid: "j" }) : jobResult({ jobstatus: 1, jobresult: { vpncustomergateway: { id: "c" } } }),
    );
    const { client } = testClient(fake.url);
    await createVpnCustomerGateway(client, PARAMS);
    for (const req of fake.requests) {
      expect(req.url).toBe("/client/api");
      expectNoSecrets(req.url, [req.params.signature!]);
    }
    expect(fake.requests[0]!.params.ipsecpsk).toBe(PSK);
    client.close();
  });

  it.each([
    ["a synchronous API error echoing the PSK", () => apiError("createVpnCustomerGateway", 431, `bad psk ${PSK} given`, 4350)],
    ["a 503 whose description header echoes the PSK", () => ({ status: 503, body: "x", headers: { "x-description": `proxy saw ${PSK}` } })],
    ["a connection reset", () => "reset" as const],
    ["a failed job", () => null],
  ])("never appear in error message, JSON.stringify(error), cause or logs: %s", async (_name, reply) => {
    fake = await startFakeCloudStack((req) => {
      const r = reply();
      if (r !== null) return r;
      return req.command === "queryAsyncJobResult"
        ? jobResult({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 530, errortext: "job failed" } })
        : ok(req.command, { id: "c", jobid: "j" });
    });
    const { client, logs } = testClient(fake.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await updateVpnCustomerGateway(client, { id: "cgw-1", ...PARAMS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const err = error as Error & { cause?: unknown };
    const signatures = fake.requests.map((r) => r.params.signature!);
    expectNoSecrets(err.message, signatures);
    expectNoSecrets(JSON.stringify(err), signatures);
    expectNoSecrets(String(err.stack), signatures);
    expectNoSecrets(JSON.stringify(err.cause ?? null) + String(err.cause ?? ""), signatures);
    expectNoSecrets(logs.lines.join("\n"), signatures);
    expect(logs.lines.join("\n")).toContain("ipsecpsk=<redacted>");
    client.close();
  });
});

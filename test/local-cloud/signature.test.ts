import { describe, expect, it } from "vitest";
import { canonicalRequest, computeSignature, javaUrlEncode, parseExpires, verifyRequest } from "../../provider/local-cloud/signature";
import { startTestCloud } from "./helpers/fixture";
import { signParams, TestClient } from "./helpers/signed-client";

// Known answers computed outside this code base with Python, following cloudstack-go: sorted keys,
// url.QueryEscape, "+"->"%20", "%2A"->"*", lowercase, HMAC-SHA1, base64.
const VECTORS = [
  {
    params: { command: "listVpnCustomerGateways", response: "json", apiKey: "KEY-abc_123", listall: "true" },
    secret: "s3cr3t-Key",
    signature: "euIiiYWfMdWfQuW8jZKtHiDTRRU=",
  },
  {
    params: {
      command: "createVpnCustomerGateway",
      response: "json",
      apiKey: "AbCdEf",
      name: "branch office (1)!*'",
      ipsecpsk: "p@ss w/ord+=;\u00e9",
      ikepolicy: "aes256-sha256;modp2048",
      Zeta: "z",
      alpha: "A",
    },
    secret: "Another/Secret+Key==",
    signature: "rYgby2rcivCjok9ev+cEa31fs14=",
  },
];

describe("signature (contract §3)", () => {
  it.each(VECTORS)("matches an independently computed signature %#", ({ params, secret, signature }) => {
    expect(computeSignature(new Map(Object.entries(params)), secret)).toBe(signature);
  });

  it("sorts names case-sensitively before lowercasing (Zeta before alpha)", () => {
    const canonical = canonicalRequest(new Map(Object.entries({ alpha: "1", Zeta: "2", signature: "x" })));
    expect(canonical).toBe("zeta=2&alpha=1");
  });

  it("encodes like Java URLEncoder: keeps * . - _, encodes ! ' ( ) ~ and space as %20", () => {
    expect(javaUrlEncode("a*b.c-d_e")).toBe("a*b.c-d_e");
    expect(javaUrlEncode("!'()~ ")).toBe("%21%27%28%29%7E%20");
  });

  it.each([
    ["2030-01-01T00:00:00Z", Date.UTC(2030, 0, 1)],
    ["2030-01-01T01:00:00+01:00", Date.UTC(2030, 0, 1)],
    ["2030-01-01T01:00:00+0100", Date.UTC(2030, 0, 1)],
    ["2030-01-01T00:00:00.123456Z", Date.UTC(2030, 0, 1, 0, 0, 0, 123)],
    ["2030-01-01T00:00:00Z+0000", Date.UTC(2030, 0, 1)],
  ])("parses expires %s", (text, expected) => {
    expect(parseExpires(text)).toBe(expected);
  });

  it.each(["tomorrow", "2030-13-01T00:00:00Z", "2030-01-01 00:00:00"])("fails when expires is %s", (text) => {
    expect(parseExpires(text)).toBeUndefined();
  });

  it("fails when signatureversion=3 comes without a future expires", () => {
    const base = { command: "listZones", apiKey: "k", signatureversion: "3" };
    const secretFor = () => "s";
    const signed = (p: Record<string, string>) => new Map(Object.entries({ ...p, signature: signParams(p, "s") }));
    const now = Date.UTC(2030, 0, 1);
    expect(verifyRequest(signed(base), secretFor, now).ok).toBe(false);
    expect(verifyRequest(signed({ ...base, expires: "2029-12-31T23:59:59Z" }), secretFor, now).ok).toBe(false);
    expect(verifyRequest(signed({ ...base, expires: "2030-01-01T00:15:00Z" }), secretFor, now).ok).toBe(true);
  });
});

describe("signed requests over HTTP", () => {
  it("accepts a signed GET and a signed form POST", async () => {
    const { admin } = await startTestCloud();
    expect((await admin.call("listZones")).status).toBe(200);
    expect((await admin.call("listZones", { keyword: "local zone*(1)" }, { method: "POST" })).status).toBe(200);
  });

  it("accepts parameters split between the query string and the POST body", async () => {
    const { cloud } = await startTestCloud();
    const params = { command: "listZones", response: "json", apiKey: cloud.admin.apiKey, name: "local-zone" };
    const signature = signParams(params, cloud.admin.secretKey);
    const res = await fetch(`${cloud.url}?command=listZones&response=json`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ apiKey: cloud.admin.apiKey, name: "local-zone", signature }).toString(),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).listzonesresponse.count).toBe(1);
  });

  it("fails with 401 and the exact body, without cserrorcode, when the signature is wrong", async () => {
    const { cloud } = await startTestCloud();
    const forged = new TestClient(cloud.url, { apiKey: cloud.admin.apiKey, secretKey: "wrong" });
    const reply = await forged.call("listVpnCustomerGateways");
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      listvpncustomergatewaysresponse: { uuidList: [], errorcode: 401, errortext: "unable to verify user credentials and/or request signature" },
    });
  });

  it("fails with 401 for an unknown API key and for a missing signature", async () => {
    const { cloud } = await startTestCloud();
    expect((await new TestClient(cloud.url, { apiKey: "nobody", secretKey: "x" }).call("listZones")).status).toBe(401);
    expect((await new TestClient(cloud.url, cloud.admin).call("listZones", {}, { sign: false })).status).toBe(401);
  });

  it("fails with 401 when signatureversion=3 has an expired expires", async () => {
    const { admin } = await startTestCloud();
    const expired = await admin.call("listZones", { signatureversion: "3", expires: "2001-01-01T00:00:00Z" });
    expect(expired.status).toBe(401);
    const future = new Date(Date.now() + 15 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    expect((await admin.call("listZones", { signatureversion: "3", expires: future })).status).toBe(200);
  });

  it("fails with a clear 400 when response=json is missing", async () => {
    const { cloud } = await startTestCloud();
    const res = await fetch(`${cloud.url}?command=listZones&apiKey=${cloud.admin.apiKey}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/response=json/);
  });
});

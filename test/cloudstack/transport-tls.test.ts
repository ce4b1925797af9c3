import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { testClient } from "./helpers/test-client";
import { CloudStackConfigError, CloudStackTransportError } from "../../provider/cloudstack/errors";

// A self-signed certificate for 127.0.0.1, made with the system's openssl for this run only.
let dir: string;
let certPem: string;
let server: https.Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cs-tls-"));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
  ], { stdio: "ignore" });
  certPem = readFileSync(join(dir, "cert.pem"), "utf8");
  server = https.createServer({ key: readFileSync(join(dir, "key.pem")), cert: certPem }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ listzonesresponse: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/client/api`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("TLS", () => {
  it("fails on an untrusted certificate by default, suggesting caBundle", async () => {
    const { client } = testClient(url, { retry: { maxAttempts: 1 } });
    const error = await client.call("listZones").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackTransportError);
    expect((error as Error).message).toMatch(/SELF_SIGNED|certificate/i);
    expect((error as Error).message).toMatch(/caBundle/);
    client.close();
  });

  it("trusts a CA given as PEM text", async () => {
    const { client } = testClient(url, { caBundle: certPem });
    await expect(client.call("listZones")).resolves.toEqual({});
    client.close();
  });

  it("trusts a CA given as a file path", async () => {
    const { client } = testClient(url, { caBundle: join(dir, "cert.pem") });
    await expect(client.call("listZones")).resolves.toEqual({});
    client.close();
  });

  it("fails when the CA bundle path cannot be read, naming the option", () => {
    expect(() => testClient(url, { caBundle: join(dir, "missing.pem") })).toThrow(CloudStackConfigError);
    expect(() => testClient(url, { caBundle: join(dir, "missing.pem") })).toThrow(/`caBundle` ".*missing\.pem" cannot be read \(ENOENT\)/);
  });

  it("accepts any certificate only with insecureSkipTlsVerify, and warns", async () => {
    const { client, logs } = testClient(url, { insecureSkipTlsVerify: true });
    await expect(client.call("listZones")).resolves.toEqual({});
    expect(logs.lines.some((l) => /^WARN .*TLS certificate verification is OFF/.test(l))).toBe(true);
    client.close();
  });
});

/** Which CloudStack a call talks to: resource settings, then `cloudstack-s2s:` keys, then the 0.1.0 project keys. */
import { describe, expect, it } from "vitest";
import { cloudstackSettingsIssues } from "../../provider/model/cloudstack-settings";
import { configKeysToRead, contextForResource, contextFromConfig } from "../../provider/resources/connection-settings";
import { migrateOutputs } from "../../provider/resources/impl/outputs-schema";

describe("connection settings", () => {
  it("reads both key forms and prefers the package namespace, per key", () => {
    expect(configKeysToRead()).toEqual(["cloudstack-s2s:apiUrl", "apiUrl", "cloudstack-s2s:apiKey", "apiKey", "cloudstack-s2s:secretKey", "secretKey"]);
    const ctx = contextFromConfig({ "cloudstack-s2s:apiUrl": "https://new/client/api", apiUrl: "https://old/client/api", apiKey: "old-key" });
    expect(ctx.credentials).toEqual({ apiUrl: "https://new/client/api", apiKey: "old-key" });
    expect(ctx.exclusive).toBeUndefined();
  });

  it("lets a resource's own settings replace config and environment entirely", () => {
    const base = contextFromConfig({ apiUrl: "https://a/client/api", apiKey: "a", secretKey: "sa" });
    const own = contextForResource(base, { url: "https://b/client/api", apiKey: "b", secretKey: "sb" });
    expect(own).toEqual({ credentials: { apiUrl: "https://b/client/api", apiKey: "b", secretKey: "sb" }, exclusive: true });
    expect(contextForResource(base, undefined)).toBe(base);
  });

  it("reports incomplete or odd settings by path, never echoing a key", () => {
    const issues = cloudstackSettingsIssues({ url: "ftp://user:pw@x/?q=1", apiKey: "", extra: 1, secretKey: "TOPSECRET" });
    expect(issues.map((i) => i.path).sort()).toEqual(["cloudstack.apiKey", "cloudstack.extra", "cloudstack.url"]);
    expect(JSON.stringify(issues)).not.toMatch(/TOPSECRET|pw@/);
    expect(cloudstackSettingsIssues(undefined)).toEqual([]);
  });
});

describe("output layout migration", () => {
  it("drops telemetry always, and push-only keys from a connection CloudStack manages", () => {
    const legacy = { managedBy: "cloudstack", state: "Connected", peerAddress: "1.2.3.4", bytesIn: 1, bytesOut: 2, ipsecPsk: "p", gatewaySsh: {}, customerGatewaySpec: {}, gateway: {} };
    expect(migrateOutputs("vpn-connection", legacy)).toEqual({ managedBy: "cloudstack", state: "Connected" });
    const pushed = { managedBy: "gateway", ipsecPsk: "p", gatewaySsh: {}, bytesIn: 1 };
    expect(migrateOutputs("vpn-connection", pushed)).toEqual({ managedBy: "gateway", ipsecPsk: "p", gatewaySsh: {} });
    expect(migrateOutputs("vpn-gateway", { bytesIn: 1 })).toEqual({ bytesIn: 1 });
  });
});

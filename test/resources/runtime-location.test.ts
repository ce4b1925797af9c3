/**
 * Where the serialized provider loads its implementation from: the package path when installed from npm, the
 * repository's dist/ relative to the program directory otherwise, the environment override first. Plus the shape of
 * what gets serialized: only strings, no schema, no client, no module walked by value.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runtimeLocation } from "../../provider/resources/runtime-location";
import { serializeResources } from "./helpers/stack";

describe("runtimeLocation", () => {
  it("uses the installed package's path under node_modules (resolved by the host from the program directory)", () => {
    expect(runtimeLocation({}, "/home/u/infra/node_modules/cloudstack-s2s/dist/provider/resources", "/home/u/infra")).toBe("cloudstack-s2s/dist/provider");
    expect(runtimeLocation({}, "/p/node_modules/.pnpm/x/node_modules/@acme/s2s/dist/provider/resources", "/p")).toBe("@acme/s2s/dist/provider");
  });

  it("uses the repository's dist/provider relative to the program directory (source or compiled)", () => {
    expect(runtimeLocation({}, "/repo/provider/resources", "/repo/examples/gitops")).toBe("../../dist/provider");
    expect(runtimeLocation({}, "/repo/dist/provider/resources", "/repo")).toBe("./dist/provider");
  });

  it("takes CLOUDSTACK_S2S_RUNTIME first", () => {
    expect(runtimeLocation({ CLOUDSTACK_S2S_RUNTIME: "/opt/s2s/provider" }, "/repo/provider/resources", "/repo")).toBe("/opt/s2s/provider");
  });
});

describe("serialized providers", () => {
  it("capture only the runtime location and the implementation name, with the package's type tokens", async () => {
    const p = await serializeResources();
    expect([p.customerGateway.type, p.vpnGateway.type, p.vpnConnection.type]).toEqual([
      "pulumi-nodejs:dynamic/cloudstack-s2s:CustomerGateway",
      "pulumi-nodejs:dynamic/cloudstack-s2s:VpnGateway",
      "pulumi-nodejs:dynamic/cloudstack-s2s:VpnConnection",
    ]);
    expect(p.customerGateway.additionalSecretOutputs).toContain("ipsecPsk");
    expect(p.vpnGateway.additionalSecretOutputs).toContain("ssh");
    for (const s of [p.customerGateway, p.vpnGateway, p.vpnConnection]) {
      expect(s.containsSecrets).toBe(false);
      expect(s.text).not.toMatch(/zod|safeParse|CloudStackClient|ssh2/);
      expect(s.text.length).toBeLessThan(20_000);
      expect(s.text).toContain(path.join("node_modules", ".cache", "cloudstack-s2s-runtime"));
    }
  }, 120_000);
});

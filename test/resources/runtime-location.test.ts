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
  it("uses the installed package's frozen runtime entry, an exports subpath (resolved by the host from the program directory)", () => {
    expect(runtimeLocation({}, "/home/u/infra/node_modules/cloudstack-s2s/dist/provider/resources", "/home/u/infra")).toBe("cloudstack-s2s/runtime/v1");
    expect(runtimeLocation({}, "/p/node_modules/.pnpm/x/node_modules/@acme/s2s/dist/provider/resources", "/p")).toBe("@acme/s2s/runtime/v1");
  });

  it("uses the repository's dist/provider/resources/runtime/v1 relative to the program directory (source or compiled)", () => {
    expect(runtimeLocation({}, "/repo/provider/resources", "/repo/examples/gitops")).toBe("../../dist/provider/resources/runtime/v1");
    expect(runtimeLocation({}, "/repo/dist/provider/resources", "/repo")).toBe("./dist/provider/resources/runtime/v1");
  });

  it("takes CLOUDSTACK_S2S_RUNTIME (a compiled dist/provider) first", () => {
    expect(runtimeLocation({ CLOUDSTACK_S2S_RUNTIME: "/opt/s2s/provider" }, "/repo/provider/resources", "/repo")).toBe("/opt/s2s/provider/resources/runtime/v1");
  });
});

describe("serialized providers", () => {
  it("capture only the runtime entry, the implementation name and config key names, with the package's type tokens", async () => {
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
      expect(s.text).toContain("/resources/runtime/v1");
      // Only Node built-ins may be required at load: anything else would tie old state to today's file layout.
      expect([...s.text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((r) => !r!.startsWith("node:"))).toEqual([]);
    }
  }, 120_000);
});

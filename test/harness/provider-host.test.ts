// The raw gRPC layer against the SDK's host: what the host answers, what it does when a caller skips what the
// engine always does, and that no host process outlives stop().
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HostCallError,
  isGroupAlive,
  liveHostGroups,
  PROJECT_ROOT,
  secret,
  serializeProvider,
  startProviderHost,
  type PropertyMap,
  type PropertyValue,
  type ProviderHost,
  type SerializedProvider,
} from "./index";
import { tempDirs } from "./fixtures/temp-dirs";

const fixture = (f: string) => path.join(__dirname, "fixtures", f);
const URN = "urn:pulumi:test::toy::pulumi-nodejs:dynamic:Resource::raw";
let toy: SerializedProvider;
let envEcho: SerializedProvider;
const started: ProviderHost[] = [];
const dirs = tempDirs();

async function host(opts: Partial<Parameters<typeof startProviderHost>[0]> = {}): Promise<ProviderHost> {
  const h = await startProviderHost({ programDir: PROJECT_ROOT, project: "toy", config: { prefix: "p-" }, ...opts });
  started.push(h);
  return h;
}

function toyInputs(dir: string, token: PropertyValue = "plain-token"): PropertyMap {
  return { dir, name: "x.txt", content: "c", token, __provider: toy.text };
}

beforeAll(async () => {
  [toy, envEcho] = await Promise.all([
    serializeProvider({ module: fixture("toy-file-provider.ts"), export: "toyFileProvider" }),
    serializeProvider({ module: fixture("env-echo-provider.ts"), export: "envEchoProvider" }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((h) => h.stop()));
  dirs.removeAll();
  expect(liveHostGroups()).toEqual([]);
});

describe("startProviderHost", () => {
  it("answers Configure with acceptSecrets=false and supportsPreview=false (why the engine strips secrets)", async () => {
    const t0 = Date.now();
    const h = await host();
    console.info(`timing: host start ${Date.now() - t0} ms`);
    expect(await h.configure()).toEqual({ acceptSecrets: false, supportsPreview: false });
    expect((await h.getPluginInfo()).version).toBe("3.248.0");
  });

  it("fails when a provider with configure() is called before Configure", async () => {
    const h = await host();
    const dir = dirs.make();
    await expect(h.check({ urn: URN, olds: {}, news: toyInputs(dir) })).rejects.toThrow(
      /Cannot read properties of undefined \(reading 'toy:prefix'\)/,
    );
  });

  it("namespaces bare config keys with the project and unwraps secret config for the provider", async () => {
    const h = await host({ config: { prefix: { secret: "sec-" } } });
    expect(h.config).toEqual({ "toy:prefix": { secret: "sec-" } });
    await h.configure();
    const dir = dirs.make();
    expect((await h.create({ urn: URN, properties: toyInputs(dir) })).id).toBe("sec-x.txt");
  });

  it("hands a wrapped secret to the provider as an object when the caller does not strip it", async () => {
    const h = await host();
    await h.configure();
    const dir = dirs.make();
    const attempt = h.create({ urn: URN, properties: toyInputs(dir, secret("t")) });
    await expect(attempt).rejects.toThrow(HostCallError);
    await expect(attempt).rejects.toThrow(/token arrived as object, not plaintext/);
  });

  it("passes extra environment variables to provider code in the host", async () => {
    const h = await host({ env: { HARNESS_ECHO: "from-test" } });
    await h.configure();
    const { outs } = await h.create({ urn: URN, properties: { variable: "HARNESS_ECHO", __provider: envEcho.text } });
    expect(outs.value).toBe("from-test");
  });

  it("returns the check failures' property paths as the provider gave them", async () => {
    const h = await host();
    await h.configure();
    const res = await h.check({ urn: URN, olds: {}, news: { ...toyInputs("relative"), limits: { maxBytes: 0 } } });
    expect(res.failures.map((f) => f.property)).toEqual(["dir", "limits.maxBytes"]);
  });
});

describe("process cleanup", () => {
  it("kills the whole process group on stop(), including the node host behind the sh shim", async () => {
    const h = await host({ viaShim: true });
    expect(isGroupAlive(h.pgid)).toBe(true);
    expect((await h.getPluginInfo()).version).toBe("3.248.0"); // the shim's grandchild really serves
    await h.stop();
    expect(isGroupAlive(h.pgid)).toBe(false);
    expect(liveHostGroups()).not.toContain(h.pgid);
  });

  it("fails to start through the shim from a directory without @pulumi/pulumi, leaving nothing running", async () => {
    const empty = dirs.make();
    const before = new Set(liveHostGroups());
    await expect(startProviderHost({ programDir: empty, project: "toy", viaShim: true })).rejects.toThrow(/exited 0 before printing its port/);
    expect(liveHostGroups().filter((g) => !before.has(g))).toEqual([]);
  });
});

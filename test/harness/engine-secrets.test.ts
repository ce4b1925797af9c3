// Secrets end to end: the provider sees plaintext, and the state keeps secret exactly what the real engine would —
// same-key outputs by annotateSecrets, derived keys only through additionalSecretOutputs.
import { createHash } from "node:crypto";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEngine,
  isSecret,
  liveHostGroups,
  PROJECT_ROOT,
  secret,
  serializeProvider,
  SIG_KEY,
  startProviderHost,
  stripSecrets,
  type ProviderHost,
  type SerializedProvider,
} from "./index";
import { tempDirs } from "./fixtures/temp-dirs";

const TOKEN = "s3cr3t-token-71c4";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
let toy: SerializedProvider;
let captured: SerializedProvider;
let host: ProviderHost;
const dirs = tempDirs();

beforeAll(async () => {
  [toy, captured] = await Promise.all([
    serializeProvider({
      module: path.join(__dirname, "fixtures", "toy-file-provider.ts"),
      export: "ToyFile",
      resourceArgs: { dir: "/tmp", name: "x", content: "c", token: "t" },
    }),
    serializeProvider({ module: path.join(__dirname, "fixtures", "captured-secret-provider.ts"), export: "capturedSecretProvider" }),
  ]);
  host = await startProviderHost({ programDir: PROJECT_ROOT, project: "toy", config: { prefix: "s-" } });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  dirs.removeAll();
  expect(liveHostGroups()).toEqual([]);
});

describe("engine secrets", () => {
  it("sends the plaintext of secret inputs to the provider and never a wrapped secret", async () => {
    const engine = createEngine({ host, provider: toy });
    const { state } = await engine.up("s", { dir: dirs.make(), name: "a.txt", content: "c", token: secret(TOKEN) });
    const create = engine.calls.find((c) => c.method === "create")!;
    expect((create.request.properties as Record<string, unknown>).token).toBe(TOKEN);
    expect(JSON.stringify(engine.calls)).not.toContain(SIG_KEY);
    expect(stripSecrets(state.outputs.tokenDigest)).toBe(sha256(TOKEN)); // computed by the provider from plaintext
    await engine.destroyAll();
  });

  it("keeps an output secret when the same input key was secret, and leaves other outputs plain", async () => {
    const engine = createEngine({ host, provider: toy });
    const { state } = await engine.up("s", { dir: dirs.make(), name: "a.txt", content: "c", token: secret(TOKEN) });
    expect(isSecret(state.inputs.token)).toBe(true);
    expect(isSecret(state.outputs.token)).toBe(true);
    expect(state.outputs.content).toBe("c");
    expect(typeof state.outputs.path).toBe("string");
    await engine.destroyAll();
  });

  it("marks a derived output secret only through additionalSecretOutputs", async () => {
    const dir = dirs.make();
    const withAso = createEngine({ host, provider: toy }); // takes ["tokenDigest"] from the ToyFile class
    const withoutAso = createEngine({ host, provider: toy, additionalSecretOutputs: [] });
    const a = await withAso.up("a", { dir, name: "a.txt", content: "c", token: secret(TOKEN) });
    const b = await withoutAso.up("b", { dir, name: "b.txt", content: "c", token: secret(TOKEN) });
    expect(isSecret(a.state.outputs.tokenDigest)).toBe(true);
    expect(b.state.outputs.tokenDigest).toBe(sha256(TOKEN)); // plaintext in state: the engine rule is same-key only
    await withAso.destroyAll();
    await withoutAso.destroyAll();
  });

  it("keeps secrets marked after update and refresh, which re-annotate from the inputs and old state", async () => {
    const engine = createEngine({ host, provider: toy });
    const dir = dirs.make();
    await engine.up("s", { dir, name: "a.txt", content: "c", token: secret(TOKEN) });
    const updated = await engine.up("s", { dir, name: "a.txt", content: "c2", token: secret(TOKEN) });
    expect(updated.op).toBe("update");
    expect(isSecret(updated.state.outputs.token)).toBe(true);
    expect(isSecret(updated.state.outputs.tokenDigest)).toBe(true);
    const refreshed = await engine.refresh("s");
    expect(isSecret(refreshed.state!.outputs.token)).toBe(true);
    expect(isSecret(refreshed.state!.outputs.tokenDigest)).toBe(true);
    await engine.destroyAll();
  });

  it("stores __provider as a secret when the provider closure captured one, and the provider still runs", async () => {
    const engine = createEngine({ host, provider: captured });
    const { state } = await engine.up("c", {});
    expect(isSecret(state.inputs.__provider)).toBe(true);
    expect(isSecret(state.outputs.__provider)).toBe(true);
    expect(state.outputs.keyLength).toBe("captured-s3cr3t-9f2c".length);
  });
});

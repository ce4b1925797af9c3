// Serialization through a ts-node child, as `pulumi up` does it. Pins what the SDK produces (and refuses) for the
// shapes of provider code this project uses.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { serializeProvider, SerializeError } from "./index";
import { CAPTURED_SECRET } from "./fixtures/captured-secret-provider";

const fixture = (f: string) => path.join(__dirname, "fixtures", f);
const TOY_ARGS = { dir: "/tmp", name: "x", content: "c", token: "never-serialized-token" };

describe("serializeProvider", () => {
  it("gives the same text for the provider object and for the resource class that registers it", async () => {
    const [fromObject, fromClass] = await Promise.all([
      serializeProvider({ module: fixture("toy-file-provider.ts"), export: "toyFileProvider" }),
      serializeProvider({ module: fixture("toy-file-provider.ts"), export: "ToyFile", resourceArgs: TOY_ARGS }),
    ]);
    console.info(`timing: serialize (ts-node child) ${fromObject.ms} ms / ${fromClass.ms} ms`);
    expect(fromClass.text).toBe(fromObject.text);
    // The host runs `requireFromString(text).handler()`: built-ins must stay require() lines, not be inlined.
    expect(fromObject.text).toMatch(/exports\.handler = /);
    expect(fromObject.text).toMatch(/require\("(node:)?fs"\)/);
  });

  it("reports the resource class's type token and additionalSecretOutputs", async () => {
    const s = await serializeProvider({ module: fixture("toy-file-provider.ts"), export: "ToyFile", resourceArgs: TOY_ARGS });
    expect(s.type).toBe("pulumi-nodejs:dynamic/toy:File");
    expect(s.additionalSecretOutputs).toEqual(["tokenDigest"]);
  });

  it("keeps secrets out of the text when the provider captures none (inputs are not part of it)", async () => {
    const s = await serializeProvider({ module: fixture("toy-file-provider.ts"), export: "ToyFile", resourceArgs: TOY_ARGS });
    expect(s.containsSecrets).toBe(false);
    expect(s.text).not.toContain(TOY_ARGS.token);
  });

  it("marks the text secret and contains the plaintext when the closure captures a secret Output", async () => {
    const s = await serializeProvider({ module: fixture("captured-secret-provider.ts"), export: "capturedSecretProvider" });
    expect(s.containsSecrets).toBe(true);
    expect(s.text).toContain(CAPTURED_SECRET);
  });

  // Pinned: this is why the real providers build their zod schemas inside methods (pulumi-host.md §2.7).
  it("fails when the provider captures a module-level zod schema instance", async () => {
    const attempt = serializeProvider({ module: fixture("zod-providers.ts"), export: "moduleSchemaProvider" });
    await expect(attempt).rejects.toThrow(SerializeError);
    await expect(attempt).rejects.toThrow(
      /Error serializing '\(\) => provider'[\s\S]*variable 'Inputs' which indirectly referenced[\s\S]*function 'bound safeParse': which could not be serialized because[\s\S]*the function could not be parsed: '\)' expected\./,
    );
  });

  it("serializes the same provider once the schema is built inside the method (only require(\"zod\") captured)", async () => {
    const s = await serializeProvider({ module: fixture("zod-providers.ts"), export: "inMethodSchemaProvider" });
    expect(s.text).toMatch(/require\("zod"\)/);
  });

  it("fails when the export does not exist, naming it", async () => {
    await expect(serializeProvider({ module: fixture("zod-providers.ts"), export: "nope" })).rejects.toThrow(/has no export 'nope'/);
  });
});

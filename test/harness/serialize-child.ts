// Child program run by serialize.ts under ts-node (what `pulumi up` uses for TypeScript programs). It must never run
// inside vitest: vite rewrites imports into `__vite_ssr_import_N__` objects that the closure serializer cannot walk.
// argv[2] = JSON { module, export, resourceArgs?, outFile }. Writes JSON { ok, text, containsSecrets, type?,
// additionalSecretOutputs? } or { ok: false, error } to outFile.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as mocks from "@pulumi/pulumi/runtime/mocks";
import { SECRET_SIG, SIG_KEY } from "./wire";

interface Request {
  module: string;
  export: string;
  resourceArgs?: Record<string, unknown>;
  outFile: string;
}

const request = JSON.parse(process.argv[2] ?? "{}") as Request;

function finish(result: Record<string, unknown>): never {
  fs.writeFileSync(request.outFile, JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}
const fail = (e: unknown) => finish({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);
// A resource whose serialization fails never reaches newResource; do not hang forever.
setTimeout(() => fail(new Error("timed out waiting for the resource to register (see errors above)")), 60_000).unref();

async function main(): Promise<void> {
  const mod = require(request.module) as Record<string, unknown>;
  // Named `provider` on purpose: the closure's source is part of the text (`return () => provider;`), so only the
  // same name as dynamic/index.js yields byte-identical text and the same error wording.
  const provider = mod[request.export];
  if (provider === undefined) throw new Error(`${request.module} has no export '${request.export}'`);

  if (typeof provider === "function" && provider.prototype instanceof pulumi.dynamic.Resource) {
    return serializeViaResource(provider as new (name: string, args: unknown) => pulumi.Resource);
  }
  if (typeof provider === "object" && provider !== null) {
    // The exact call dynamic/index.js makes for `__provider`.
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return finish({ ok: true, text: sf.text, containsSecrets: sf.containsSecrets });
  }
  throw new Error(`export '${request.export}' is neither a provider object nor a pulumi.dynamic.Resource subclass`);
}

// Construct the resource class under setMocks, exactly as a program would, and take `__provider`, the type token and
// additionalSecretOutputs from the RegisterResource request (the mock's newResource does not see the options).
function serializeViaResource(Resource: new (name: string, args: unknown) => pulumi.Resource): void {
  const original = mocks.MockMonitor.prototype.registerResource;
  mocks.MockMonitor.prototype.registerResource = function (this: unknown, req: any, callback: any) {
    const inputs = req.getObject().toJavaScript() as Record<string, unknown>;
    const provider = inputs.__provider as unknown;
    const wrapped = typeof provider === "object" && provider !== null && (provider as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
    finish({
      ok: true,
      text: wrapped ? (provider as { value: string }).value : provider,
      containsSecrets: wrapped,
      type: req.getType(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return original.call(this, req, callback);
  } as typeof original;
  pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "harness", "harness", false);
  new Resource("harness-serialize", request.resourceArgs ?? {});
}

main().catch(fail);

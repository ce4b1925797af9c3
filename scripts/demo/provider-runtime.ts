/**
 * The three resource providers, serialized once the way `pulumi up` does (a ts-node child constructs each
 * resource class of provider/resources under setMocks and takes its `__provider`), and the compiled runtime those
 * providers load inside Pulumi's dynamic-provider host (plain Node: it cannot load the .ts sources).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, serializeProvider, type SerializedProvider } from "../../test/harness";
import { ensureRuntimeBuild } from "../../test/resources/helpers/runtime-build";

export interface Providers {
  vpnGateway: SerializedProvider;
  customerGateway: SerializedProvider;
  vpnConnection: SerializedProvider;
  /** Where the providers load their implementation from, for the progress line. */
  runtime: string;
}

const RESOURCES_MODULE = path.join(PROJECT_ROOT, "provider", "resources", "index.ts");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/**
 * True when every provider/ source has a compiled file in dist/ that is at least as new. `npm ci` builds dist/, but
 * a checkout whose sources changed since would otherwise demo yesterday's provider without saying so.
 */
export function distIsCurrent(): boolean {
  return sourceFiles(path.join(PROJECT_ROOT, "provider")).every((src) => {
    const built = path.join(PROJECT_ROOT, "dist", path.relative(PROJECT_ROOT, src)).replace(/\.ts$/, ".js");
    const out = fs.statSync(built, { throwIfNoEntry: false });
    return out !== undefined && out.mtimeMs >= fs.statSync(src).mtimeMs;
  });
}

/**
 * dist/provider when it is current (what the example program resolves to in this repository: no environment
 * needed), otherwise a fresh build keyed by the sources' hash (shared with the resource tests' cache). An explicit
 * CLOUDSTACK_S2S_RUNTIME from the caller's environment wins, as it does for `pulumi up`.
 */
async function chooseRuntime(): Promise<{ env: Record<string, string>; runtime: string }> {
  const explicit = process.env.CLOUDSTACK_S2S_RUNTIME?.trim();
  if (explicit) return { env: {}, runtime: `${explicit} (CLOUDSTACK_S2S_RUNTIME)` };
  if (distIsCurrent()) return { env: {}, runtime: "dist/provider" };
  const built = await ensureRuntimeBuild();
  return { env: { CLOUDSTACK_S2S_RUNTIME: built }, runtime: `${path.relative(PROJECT_ROOT, built)} (dist/ is older than provider/: a fresh build)` };
}

/** Serializes the three providers in parallel ts-node children; about a second each. */
export async function serializeProviders(): Promise<Providers> {
  const { env, runtime } = await chooseRuntime();
  // Constructor arguments only need to pass the resource classes' own checks; the serialized text is the same for
  // every instance of a class (the provider object captures the runtime location and implementation name only).
  const one = (exportName: string, resourceArgs: Record<string, unknown>) => serializeProvider({ module: RESOURCES_MODULE, export: exportName, resourceArgs, env });
  const [vpnGateway, customerGateway, vpnConnection] = await Promise.all([
    one("VpnGateway", { vpcId: "v" }),
    one("CustomerGateway", { peer: { type: "dynamic", remoteId: "x@example.com", allowedSourceCidrs: ["192.0.2.0/24"] }, cidrList: ["192.168.1.0/24"], ipsecPsk: "x" }),
    one("VpnConnection", { vpnGateway: "a", customerGateway: "b" }),
  ]);
  return { vpnGateway, customerGateway, vpnConnection, runtime };
}

/**
 * Which module the serialized provider loads inside Pulumi's dynamic-provider host: the frozen runtime entry v1
 * (runtime/v1.ts). The host is plain Node (no ts-node) and resolves `require` from the program directory.
 *
 * Computed in the program (at `pulumi up`), in this order:
 * 1. `CLOUDSTACK_S2S_RUNTIME` — a compiled `dist/provider` directory (absolute, or `./relative` to the program
 *    directory); tests point it at a fresh build: `<dir>/resources/runtime/v1`;
 * 2. installed from npm (this file lives under `node_modules/`): `<package>/runtime/v1`, an `exports` subpath — so
 *    state keeps working when a release moves files, and when the program directory moves;
 * 3. this repository (`provider/resources/*.ts` under ts-node, or `dist/provider/resources/*.js`): the
 *    repository's `dist/provider/resources/runtime/v1`, relative to the program directory (`npm run build` first).
 */
import * as path from "node:path";

export const RUNTIME_ENV_VAR = "CLOUDSTACK_S2S_RUNTIME";
/** The runtime entry this release serializes (runtime/v1.ts; never renamed, never changed incompatibly). */
export const RUNTIME_ENTRY = "runtime/v1";

export function runtimeLocation(env: Readonly<Record<string, string | undefined>> = process.env, here: string = __dirname, cwd: string = process.cwd()): string {
  const fromEnv = env[RUNTIME_ENV_VAR]?.trim();
  if (fromEnv) return `${fromEnv.replace(/\/+$/, "")}/resources/${RUNTIME_ENTRY}`;
  const normalized = here.split(path.sep).join("/");
  const marker = "/node_modules/";
  const at = normalized.lastIndexOf(marker);
  // <…>/node_modules/<package>/dist/provider/resources → <package>/runtime/v1
  if (at >= 0) {
    const inPackage = normalized.slice(at + marker.length);
    const dist = inPackage.indexOf("/dist/provider/");
    const pkg = dist >= 0 ? inPackage.slice(0, dist) : path.posix.dirname(path.posix.dirname(path.posix.dirname(inPackage)));
    return `${pkg}/${RUNTIME_ENTRY}`;
  }
  // Repository: provider/resources (source) or dist/provider/resources (compiled).
  const parent = path.dirname(here);
  const distProvider = path.basename(path.dirname(parent)) === "dist" ? parent : path.join(path.dirname(parent), "dist", "provider");
  const relative = path.relative(cwd, path.join(distProvider, "resources", ...RUNTIME_ENTRY.split("/"))).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/**
 * Where the provider's implementation is loaded from inside Pulumi's dynamic-provider host.
 *
 * The host is plain Node (no ts-node) and evaluates the serialized provider with `require` resolving from the
 * program directory, so the provider object only carries a module specifier: every method `require`s the compiled
 * implementation (`<location>/resources/impl/…`) at call time. Nothing else is captured, so no zod schema, client
 * or agent is ever serialized (pulumi-host.md §2.7).
 *
 * Computed in the program (at `pulumi up`), in this order:
 * 1. `CLOUDSTACK_S2S_RUNTIME` — an absolute path or package path of a compiled `dist/provider` (tests point it at a
 *    fresh build);
 * 2. installed from npm (this file lives under `node_modules/`): the package path, e.g.
 *    `cloudstack-s2s/dist/provider`, resolved by the host from the program's own `node_modules`;
 * 3. this repository (`provider/resources/*.ts` under ts-node, or `dist/provider/resources/*.js`): `dist/provider`
 *    of the repository, relative to the program directory (`npm run build` first).
 *
 * Relative and package forms are stored in the state (inside `__provider`) and stay valid when the program moves
 * to another machine; an absolute path only comes from the environment variable.
 */
import * as path from "node:path";

export const RUNTIME_ENV_VAR = "CLOUDSTACK_S2S_RUNTIME";

export function runtimeLocation(env: Readonly<Record<string, string | undefined>> = process.env, here: string = __dirname, cwd: string = process.cwd()): string {
  const fromEnv = env[RUNTIME_ENV_VAR]?.trim();
  if (fromEnv) return fromEnv;
  const normalized = here.split(path.sep).join("/");
  const marker = "/node_modules/";
  const at = normalized.lastIndexOf(marker);
  // <…>/node_modules/<package>/dist/provider/resources → <package>/dist/provider
  if (at >= 0) return path.posix.dirname(normalized.slice(at + marker.length));
  // Repository: provider/resources (source) or dist/provider/resources (compiled).
  const parent = path.dirname(here);
  const distProvider = path.basename(path.dirname(parent)) === "dist" ? parent : path.join(path.dirname(parent), "dist", "provider");
  const relative = path.relative(cwd, distProvider).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

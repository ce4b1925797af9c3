/**
 * What every resource implementation shares: the provider context (credentials from stack config, else the
 * CLOUDSTACK_* variables), the client factory, the preview sentinel, issue → check-failure mapping, "is it gone"
 * and output compaction. Loaded inside the dynamic-provider host from the compiled package, never serialized.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CloudStackApiError, CloudStackClient, type CloudStackClientOptions, type CloudStackCredentials } from "../../cloudstack";
import type { Issue } from "../../model/issues";

export interface ProviderContext {
  /** From stack config (`cloudstack-s2s:apiUrl`…, else `<project>:apiUrl`…); missing ones fall back to CLOUDSTACK_*. */
  credentials: Partial<CloudStackCredentials>;
  /** The resource's own `cloudstack` settings: no fallback to the environment (never mix two accounts' keys). */
  exclusive?: boolean;
  /** Extra client options (tests compress retry backoff with `sleep`); the provider itself never sets them. */
  client?: Pick<CloudStackClientOptions, "sleep" | "retry">;
}

/** What each `impl/<resource>.ts` exports; `DelegatingProvider` forwards the SDK's calls to it. */
export interface ResourceImplementation {
  check(ctx: ProviderContext, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult>;
  diff(ctx: ProviderContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult>;
  create(ctx: ProviderContext, inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult>;
  read(ctx: ProviderContext, id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult>;
  update(ctx: ProviderContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult>;
  delete(ctx: ProviderContext, id: string, props: Record<string, unknown>): Promise<void>;
}

/** The value an unknown input has during `pulumi preview` (rpc.unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Keys the SDK adds to every resource's inputs and outputs. */
const SDK_KEYS = new Set(["__provider"]);

export function clientFor(ctx: ProviderContext): CloudStackClient {
  return new CloudStackClient({ ...ctx.client, ...ctx.credentials, env: ctx.exclusive ? {} : process.env });
}

/** Runs `fn` with a client and always closes its sockets (the host process lives on between calls). */
export async function withClient<T>(ctx: ProviderContext, fn: (client: CloudStackClient) => Promise<T>): Promise<T> {
  const client = clientFor(ctx);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** The inputs without the SDK's own keys. */
export function userInputs(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !SDK_KEYS.has(k)));
}

/** Dotted paths (issue-path syntax) of every unknown value inside `value`. */
export function unknownPaths(value: unknown, path = ""): string[] {
  if (value === UNKNOWN) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, path === "" ? k : `${path}.${k}`));
  }
  return [];
}

export function hasUnknowns(value: unknown): boolean {
  return unknownPaths(value).length > 0;
}

/** Issues → check failures, one per issue, keyed by the property path. Findings about unknown values are dropped. */
export function checkFailures(issues: readonly Issue[], unknown: readonly string[] = []): pulumi.dynamic.CheckFailure[] {
  const underUnknown = (p: string) => unknown.some((u) => u === "" || p === u || p.startsWith(`${u}.`) || p.startsWith(`${u}[`) || u.startsWith(`${p}.`) || u.startsWith(`${p}[`));
  return issues.filter((i) => i.severity === "error" && !underUnknown(i.path)).map((i) => ({ property: i.path, reason: i.message }));
}

export { isAlreadyExists, isUnknownIdError, lookupOrGone } from "../../deploy/cloudstack-objects";

/** Deep copy without `undefined` values: the host cannot encode them (`Unexpected struct type`). */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, compact(v)])) as T;
  }
  return value;
}

/** Structural equality of JSON-like values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** Top-level keys whose values differ between `olds` and `news`, among `keys`. */
export function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.filter((k) => !sameValue(olds[k], news[k]));
}


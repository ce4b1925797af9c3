// Property values the way the Pulumi engine holds them, and the two engine rules that the dynamic-provider host
// depends on because it answers Configure with `acceptSecrets: false`:
//   1. before every call the engine marshals inputs with KeepSecrets=false, i.e. the provider sees plaintext
//      (`stripSecrets`), and unknowns as the sentinel string (preview only);
//   2. after Check/Create/Update/Read it re-marks outputs by same key only (`annotateSecrets`, ported from
//      sdk/go/common/resource/plugin/provider_plugin.go), then the step executor applies
//      `additionalSecretOutputs` (`markAdditionalSecretOutputs`, ported from pkg/resource/deploy/step_executor.go).
// "Engine form" in this harness = plain JSON where a secret is the wire object {SIG_KEY: SECRET_SIG, value}, which is
// also how the SDK hands secret inputs to `setMocks` and how Struct carries them. `undefined` never appears in it.

/** `rpc.specialSigKey`: the key that marks a special value inside a Struct. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** `rpc.specialSecretSig`: value of SIG_KEY for a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** `rpc.unknownValue`: how a value that is not known yet (preview) reaches the provider. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type PropertyValue = null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };
export type PropertyMap = { [key: string]: PropertyValue };
export interface SecretValue {
  [SIG_KEY]: typeof SECRET_SIG;
  value: PropertyValue;
}

/** Wraps a value as a secret, as the SDK serializes `pulumi.secret(value)`. */
export function secret(value: unknown): PropertyValue {
  return { [SIG_KEY]: SECRET_SIG, value: toPropertyValue(value) } as unknown as PropertyValue;
}

export function isSecret(v: unknown): v is SecretValue {
  return isPlainObject(v) && v[SIG_KEY] === SECRET_SIG;
}

/** Like the engine's `PropertyValue.ContainsSecrets`: true if `v` is, or has anywhere inside, a secret. */
export function containsSecrets(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (isPlainObject(v)) return Object.values(v).some(containsSecrets);
  return false;
}

export function containsUnknowns(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (isSecret(v)) return containsUnknowns(v.value);
  if (Array.isArray(v)) return v.some(containsUnknowns);
  if (isPlainObject(v)) return Object.values(v).some(containsUnknowns);
  return false;
}

/**
 * Engine marshalling with KeepSecrets=false: every secret becomes its plaintext. Also what tests use to read
 * a state value without caring whether it is secret.
 */
export function stripSecrets<T>(v: T): T {
  if (isSecret(v)) return stripSecrets(v.value) as T;
  if (Array.isArray(v)) return v.map(stripSecrets) as T;
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripSecrets(x)])) as T;
  return v;
}

/**
 * Port of the engine's `annotateSecrets(outs, ins)`: an output key becomes secret iff the same key held a secret in
 * `ins`; when both sides are (non-secret) objects it recurses, otherwise (arrays, scalars) the whole value is marked.
 * A derived output under a new key (a digest of a secret input) is NOT marked. Returns a new map.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap | undefined): PropertyMap {
  const result: PropertyMap = { ...outs };
  if (!ins) return result;
  for (const [key, inValue] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const outValue = result[key]!;
    if (isObjectValue(outValue) && isObjectValue(inValue)) {
      result[key] = annotateSecrets(outValue, inValue);
    } else if (!isSecret(outValue) && containsSecrets(inValue)) {
      result[key] = secret(outValue);
    }
  }
  return result;
}

/**
 * Port of the step executor's `additionalSecretOutputs` loop: listed keys present in the outputs become secret.
 * `id` cannot be made secret (the engine warns, pulumi/pulumi#2717); the harness throws so a test notices.
 */
export function markAdditionalSecretOutputs(outs: PropertyMap, keys: readonly string[] = []): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const key of keys) {
    if (key === "id") throw new Error("additionalSecretOutputs: the 'id' property cannot be made secret (pulumi/pulumi#2717)");
    const v = result[key];
    if (v !== undefined && !isSecret(v)) result[key] = secret(v);
  }
  return result;
}

/**
 * What the SDK's `serializeProperties` does to a program value before it reaches the engine: `undefined` object
 * members disappear (they would otherwise break `Struct.fromJavaScript`), `undefined` array items become null.
 */
export function toPropertyValue(v: unknown): PropertyValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(toPropertyValue);
  if (isPlainObject(v)) {
    const out: PropertyMap = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toPropertyValue(x);
    return out;
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  throw new TypeError(`value of type ${typeof v} cannot be a Pulumi property (use plain JSON, secret(), UNKNOWN)`);
}

export function toPropertyMap(v: Record<string, unknown>): PropertyMap {
  return toPropertyValue(v) as PropertyMap;
}

/** Deep equality of property values, secrets compared by their plaintext as the engine's DeepEquals does. */
export function propertyEquals(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(stripSecrets(a))) === JSON.stringify(sortKeys(stripSecrets(b)));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

function isObjectValue(v: unknown): v is PropertyMap {
  return isPlainObject(v) && !isSecret(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

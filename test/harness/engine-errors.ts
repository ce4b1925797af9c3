// Errors the engine itself raises around provider calls, worded like the engine so tests can match its diagnostics.
import type { CheckFailure } from "./provider-host";
import { isSecret, type PropertyMap } from "./wire";

/** An error raised by the engine (not by the provider), e.g. an empty id from Create. */
export class EngineError extends Error {
  override name = "EngineError";
}

/**
 * Check returned failures: the engine reports each one and stops the resource. Wording from sdk/go/common/diag
 * (`GetResourcePropertyInvalidValueError`, code 2003, and `GetResourceInvalidError`, 2002). The engine prints the
 * value of `inputs[property]` (a top-level lookup, so a nested path such as `limits.maxBytes` prints `{<nil>}`);
 * secrets are printed as `[secret]` here so a test never puts a secret into an error message.
 */
export class CheckFailedError extends Error {
  override name = "CheckFailedError";
  constructor(
    readonly type: string,
    readonly resourceName: string,
    readonly urn: string,
    readonly failures: CheckFailure[],
    inputs: PropertyMap,
  ) {
    super(failures.map((f) => formatFailure(type, resourceName, f, inputs)).join("\n"));
  }
}

function formatFailure(type: string, name: string, f: CheckFailure, inputs: PropertyMap): string {
  if (f.property === "") return `${type} resource '${name}' has a problem: ${f.reason}`;
  return `${type} resource '${name}'s property '${f.property}' value {${formatValue(inputs[f.property])}} has a problem: ${f.reason}`;
}

function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "<nil>";
  if (isSecret(v)) return "[secret]";
  return typeof v === "string" ? v : JSON.stringify(v);
}

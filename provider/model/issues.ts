import type { z } from "zod";

/** One validation finding: the path of the offending input, a stable code, and a complete human sentence. */
export interface Issue {
  /** Dotted field path, e.g. `customerGateway.peer.allowedSourceCidrs[1]`. */
  path: string;
  code: string;
  severity: "error" | "warning";
  /** The whole line: path in backticks, the value (never a secret), the rule and the fix. */
  message: string;
}

/** Thrown with every problem of an input at once. */
export class ValidationError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], subject = "input") {
    super(`${subject} is invalid:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`);
    this.name = "ValidationError";
    this.issues = issues;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Paths whose values are secrets and must never be echoed. */
export function isSecretPath(path: string): boolean {
  return /psk|secret|password|privatekey/i.test(path);
}

export function makeIssue(path: string, code: string, text: string, severity: Issue["severity"] = "error"): Issue {
  return { path, code, severity, message: `\`${path || "(root)"}\` ${text}` };
}

/** Shows a value for an error line; secrets are replaced by their length only. */
export function showValue(path: string, value: unknown): string {
  if (isSecretPath(path)) return typeof value === "string" ? `(secret, ${value.length} characters)` : "(secret)";
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return "";
}

/** "<value> <rule>", or just "<rule>" when there is no value to show. */
function withValue(path: string, value: unknown, rule: string): string {
  const shown = showValue(path, value);
  return shown ? `${shown} ${rule}` : rule;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as string];
  }
  return current;
}

/**
 * zod's findings → Issues. Our own refinements carry their finished text in `message` and a code in `params`;
 * zod's built-in ones are reworded so they still name the field and the fix.
 */
export function issuesFromZod(error: z.ZodError, input: unknown, prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const zi of error.issues) {
    const fullPath = [...prefix, ...zi.path];
    const path = formatPath(fullPath);
    const value = valueAt(input, zi.path);
    const params = (zi as { params?: { code?: string; severity?: Issue["severity"] } }).params;
    switch (zi.code) {
      case "custom":
        out.push(makeIssue(path, params?.code ?? "invalid", zi.message, params?.severity));
        break;
      case "unrecognized_keys":
        for (const key of zi.keys) {
          out.push(makeIssue(formatPath([...fullPath, key]), "unknown-field", "is not a known field; remove it or check its spelling"));
        }
        break;
      case "invalid_type":
        out.push(value === undefined
          ? makeIssue(path, "required", `is required (expected ${zi.expected})`)
          : makeIssue(path, "invalid-type", withValue(path, value, `has the wrong type: expected ${zi.expected}`)));
        break;
      case "invalid_union": {
        const options = (zi as { options?: unknown[] }).options;
        out.push(options
          ? makeIssue(path, "invalid-discriminator", withValue(path, value, `must be one of ${options.map((o) => JSON.stringify(o)).join(", ")}`))
          : makeIssue(path, "invalid-value", withValue(path, value, "matches none of the accepted forms; see the reference in README.md")));
        break;
      }
      case "invalid_value":
        out.push(makeIssue(path, "invalid-value", withValue(path, value, `must be one of ${zi.values.map((v) => JSON.stringify(v)).join(", ")}`)));
        break;
      case "too_small":
      case "too_big": {
        const limit = zi.code === "too_small" ? (zi as { minimum: number | bigint }).minimum : (zi as { maximum: number | bigint }).maximum;
        const inclusive = (zi as { inclusive?: boolean }).inclusive !== false;
        const sign = zi.code === "too_small" ? (inclusive ? "≥" : ">") : inclusive ? "≤" : "<";
        const origin = (zi as { origin?: string }).origin;
        const what = origin === "array" ? `must have ${sign} ${limit} items` : origin === "string" ? `must have ${sign} ${limit} characters` : `must be ${sign} ${limit}`;
        out.push(makeIssue(path, zi.code === "too_small" ? "too-small" : "too-big", withValue(path, Array.isArray(value) ? undefined : value, what)));
        break;
      }
      default:
        out.push(makeIssue(path, zi.code, withValue(path, value, zi.message.replace(/^Invalid input: /, ""))));
    }
  }
  return out;
}

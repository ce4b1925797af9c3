/**
 * Which CloudStack a resource talks to. Resolved per call, first match wins:
 * 1. the resource's own `cloudstack` input (`{ url, apiKey, secretKey }`, all three, a secret) — one stack can
 *    manage several clouds or accounts;
 * 2. stack config under the package namespace: `cloudstack-s2s:apiUrl`, `cloudstack-s2s:apiKey`,
 *    `cloudstack-s2s:secretKey`;
 * 3. stack config under the program's project (`<project>:apiUrl`, …): the keys of 0.1.0, still honoured;
 * 4. the environment: CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY.
 * Levels 2–4 are merged per key; the resource input replaces them all (no mixing of two accounts' keys).
 */
import { makeIssue, type Issue } from "./issues";

export const CONFIG_NAMESPACE = "cloudstack-s2s";
export const SETTINGS_CONFIG_KEYS = ["apiUrl", "apiKey", "secretKey"] as const;
export type SettingsConfigKey = (typeof SETTINGS_CONFIG_KEYS)[number];

/** The per-resource connection settings, as given to a resource's `cloudstack` input. */
export interface CloudStackSettings {
  /** API endpoint, e.g. `https://cloud.example.com/client/api`. */
  url: string;
  apiKey: string;
  /** Secret. */
  secretKey: string;
}

/** Problems of a `cloudstack` input; values are shown for `url` only. `isUnknown` skips preview placeholders. */
export function cloudstackSettingsIssues(value: unknown, isUnknown: (v: unknown) => boolean = () => false): Issue[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [makeIssue("cloudstack", "invalid-type", "must be an object `{ url, apiKey, secretKey }`")];
  const v = value as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of Object.keys(v)) {
    if (!["url", "apiKey", "secretKey"].includes(key)) issues.push(makeIssue(`cloudstack.${key}`, "unknown-key", "is not a setting; use `url`, `apiKey` and `secretKey`"));
  }
  for (const key of ["url", "apiKey", "secretKey"] as const) {
    const field = v[key];
    if (isUnknown(field)) continue;
    if (typeof field !== "string" || field.trim() === "") {
      issues.push(makeIssue(`cloudstack.${key}`, "required", "is required (a non-empty string) when `cloudstack` is given: the resource then uses these settings instead of stack config and environment"));
    }
  }
  if (typeof v.url === "string" && v.url.trim() !== "" && !isUnknown(v.url)) {
    let ok = false;
    try {
      const url = new URL(v.url);
      ok = (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "" && url.search === "";
    } catch {
      ok = false;
    }
    if (!ok) issues.push(makeIssue("cloudstack.url", "invalid-url", `${JSON.stringify(v.url.replace(/\/\/[^@/]*@/, "//…@").replace(/\?.*$/, "?…"))} is not an http(s) API endpoint without user info or query, e.g. https://cloud.example.com/client/api`));
  }
  return issues;
}

/** The settings of a resource's `cloudstack` input when complete, else undefined. */
export function settingsOf(value: unknown): CloudStackSettings | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.url === "string" && typeof v.apiKey === "string" && typeof v.secretKey === "string" ? { url: v.url, apiKey: v.apiKey, secretKey: v.secretKey } : undefined;
}

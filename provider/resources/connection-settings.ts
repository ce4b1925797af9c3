/**
 * Provider config → credentials (see model/cloudstack-settings.ts for the order). The serialized provider reads
 * each key of SETTINGS_CONFIG_KEYS twice in `configure()` — namespaced (`cloudstack-s2s:apiUrl`) and under the
 * program's project (`apiUrl`) — and passes what it found as a flat record; this module decides.
 */
import { CONFIG_NAMESPACE, SETTINGS_CONFIG_KEYS, settingsOf, type SettingsConfigKey } from "../model/cloudstack-settings";
import type { ProviderContext } from "./impl/context";

/** Config keys the serialized provider reads (the project-relative form has no namespace). */
export function configKeysToRead(): string[] {
  return SETTINGS_CONFIG_KEYS.flatMap((k) => [`${CONFIG_NAMESPACE}:${k}`, k]);
}

export function contextFromConfig(config: Readonly<Record<string, string>>): ProviderContext {
  const credentials: ProviderContext["credentials"] = {};
  for (const key of SETTINGS_CONFIG_KEYS) {
    const value = nonEmpty(config[`${CONFIG_NAMESPACE}:${key}`]) ?? nonEmpty(config[key]);
    if (value !== undefined) credentials[key as SettingsConfigKey] = value;
  }
  return { credentials };
}

/** The context for one call: a resource's own `cloudstack` input replaces config and environment entirely. */
export function contextForResource(base: ProviderContext, cloudstack: unknown): ProviderContext {
  const own = settingsOf(cloudstack);
  if (!own) return base;
  return { credentials: { apiUrl: own.url, apiKey: own.apiKey, secretKey: own.secretKey }, exclusive: true };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

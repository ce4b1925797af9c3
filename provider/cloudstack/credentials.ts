/**
 * Where the client finds its endpoint and keys: explicit options first, then the environment variables the
 * CloudStack Terraform provider uses, so one set of exports serves both tools.
 */
import { CloudStackConfigError, invalidApiUrl, missingCredential } from "./errors";

export const CREDENTIAL_ENV_VARS = {
  apiUrl: "CLOUDSTACK_API_URL",
  apiKey: "CLOUDSTACK_API_KEY",
  secretKey: "CLOUDSTACK_SECRET_KEY",
} as const;

export interface CloudStackCredentials {
  /** e.g. `https://cloud.example.com/client/api`. */
  apiUrl: string;
  apiKey: string;
  secretKey: string;
}

/**
 * Resolves all three values or throws one error listing every missing one (by option AND env var name).
 * The secret key value never appears in a message.
 */
export function resolveCredentials(
  options: Partial<CloudStackCredentials>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CloudStackCredentials {
  const pick = (key: keyof CloudStackCredentials): string | undefined => {
    const explicit = options[key];
    if (explicit !== undefined && explicit !== "") return explicit;
    const fromEnv = env[CREDENTIAL_ENV_VARS[key]];
    return fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv.trim() : undefined;
  };
  const apiUrl = pick("apiUrl");
  const apiKey = pick("apiKey");
  const secretKey = pick("secretKey");
  const missing = (["apiUrl", "apiKey", "secretKey"] as const).filter((k) => ({ apiUrl, apiKey, secretKey })[k] === undefined);
  if (missing.length > 0) {
    throw new CloudStackConfigError(missing.map((k) => missingCredential(k, CREDENTIAL_ENV_VARS[k])).join("\n"));
  }
  validateApiUrl(apiUrl!);
  return { apiUrl: apiUrl!, apiKey: apiKey!, secretKey: secretKey! };
}

function validateApiUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CloudStackConfigError(invalidApiUrl(value, "is not a URL"));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CloudStackConfigError(invalidApiUrl(value, `has scheme ${url.protocol} but must be http: or https:`));
  }
  // Credentials in the URL would be logged with it; query parameters would be silently mixed into signing.
  if (url.username !== "" || url.password !== "") {
    throw new CloudStackConfigError(invalidApiUrl(url.origin + url.pathname, "carries user:password; pass keys as `apiKey`/`secretKey`"));
  }
  if (url.search !== "") {
    throw new CloudStackConfigError(invalidApiUrl(url.origin + url.pathname + "?…", "has a query string; give the bare endpoint"));
  }
}

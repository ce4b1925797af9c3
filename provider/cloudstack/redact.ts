/**
 * Keeps secrets out of logs and error texts. Parameter names are matched, not values guessed: `ipsecpsk`,
 * `secretkey`, `signature`, and anything else that names a key, password or secret.
 */
export const SECRET_PARAM_PATTERN = /psk|secret|signature|password|privatekey|apikey|sessionkey/i;

export const REDACTED = "<redacted>";

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM_PATTERN.test(name);
}

/** `name=value` pairs for a log line, secret values replaced. */
export function describeParams(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${isSecretParam(name) ? REDACTED : JSON.stringify(value)}`)
    .join(" ");
}

/**
 * Removes any secret value that a server echoed into a text (defence in depth: CloudStack's own texts never
 * quote a PSK, but a proxy or a future version might). Values shorter than 4 characters are left alone, as
 * replacing them would mangle ordinary words without hiding anything guessable.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

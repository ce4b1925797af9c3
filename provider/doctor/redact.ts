/**
 * Keeps keys out of doctor's and status's output: the site's own key (and its hex/base64 forms) wherever it shows
 * up, and anything written as a PSK/secret assignment in a log or config line, even one we were not told about.
 */
// `: PSK "…"` (ipsec.secrets), `secret = …` (swanctl), `psk: …` (YAML): a separator, then the value.
const ASSIGNMENT = /\b(PSK|psk|secret|Secret|SECRET|ipsecPsk|pre-shared-key|preshared[-_ ]?key)(\s*[:=]\s*|\s+(?=["']|0x|0s))("[^"]*"|'[^']*'|\S+)/g;
const HEX_DUMP = /^\s*\d+: (?:[0-9A-F]{2} ){4,}/;

export const REDACTED = "<redacted>";

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of [s, Buffer.from(s).toString("hex"), Buffer.from(s).toString("base64")]) out = out.split(form).join(REDACTED);
  }
  out = out.replace(ASSIGNMENT, (_m, k: string, sep: string) => `${k}${sep}${REDACTED}`);
  return HEX_DUMP.test(out) ? REDACTED : out;
}

/** Redacts every string inside a JSON-like value (findings, status reports). */
export function redactDeep<T>(value: T, secrets: readonly string[], keep: readonly string[] = ["cause", "side"]): T {
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets, keep)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keep.includes(k) ? v : redactDeep(v, secrets, keep)])) as T;
  return value;
}

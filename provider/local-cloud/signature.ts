/**
 * Request verification as CloudStack's `ApiServer.verifyRequest` does it (contract §3). The canonical string is the
 * client's (one implementation); both are pinned by known answers computed outside this project, so a signature made
 * by any correct client verifies here.
 */
import { timingSafeEqual } from "node:crypto";
import { canonicalQueryString, signParams } from "../cloudstack/sign";

export { javaUrlEncode } from "../cloudstack/sign";

/** The string CloudStack HMACs: sorted case-sensitively by name, `signature` dropped, all lowercased. */
export function canonicalRequest(params: ReadonlyMap<string, string>): string {
  return canonicalQueryString(Object.fromEntries(params)).toLowerCase();
}

export function computeSignature(params: ReadonlyMap<string, string>, secretKey: string): string {
  return signParams(Object.fromEntries(params), secretKey);
}

const EXPIRES_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2}|Z[+-]\d{4})$/;

/**
 * `DateUtil.parseTZDateString`: ISO offset (`Z`, `+00:00`), the zoned `+0000` form, fractional seconds, and the
 * legacy `...'Z'+0000` pattern. Returns epoch milliseconds, or undefined when CloudStack could not parse it.
 */
export function parseExpires(text: string): number | undefined {
  const m = EXPIRES_PATTERN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  let offsetMinutes = 0;
  const offset = zone === "Z" ? "" : zone!.replace(/^Z/, "");
  if (offset !== "") {
    const digits = offset.slice(1).replace(":", "");
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * (offset.startsWith("-") ? -1 : 1);
  }
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, "0").slice(0, 3));
  const utc = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), millis);
  return utc - offsetMinutes * 60_000;
}

export type VerifyResult = { ok: true; apiKey: string } | { ok: false };

/**
 * Checks a request the way `verifyRequest` does. `secretFor` maps an API key to its secret key (undefined when
 * the key is unknown or the user is not enabled). Every failure is the same opaque result: CloudStack never says
 * which part was wrong.
 */
export function verifyRequest(
  params: ReadonlyMap<string, string>,
  secretFor: (apiKey: string) => string | undefined,
  nowMs: number,
): VerifyResult {
  let signature: string | undefined;
  let apiKey: string | undefined;
  let signatureVersion: string | undefined;
  let expires: string | undefined;
  for (const [name, value] of params) {
    const lower = name.toLowerCase();
    if (lower === "signature") signature = value;
    else if (lower === "apikey") apiKey = value;
    else if (lower === "signatureversion") signatureVersion = value;
    else if (lower === "expires") expires = value;
  }
  if (!params.has("command") || signature === undefined || apiKey === undefined) return { ok: false };
  if (signatureVersion === "3") {
    const expiresAt = expires === undefined ? undefined : parseExpires(expires);
    if (expiresAt === undefined || expiresAt < nowMs) return { ok: false };
  }
  const secretKey = secretFor(apiKey);
  if (secretKey === undefined) return { ok: false };
  const expected = Buffer.from(computeSignature(params, secretKey), "utf8");
  const given = Buffer.from(signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false };
  return { ok: true, apiKey };
}

/**
 * CloudStack request signing (contract §3), pure. The local endpoint reuses `canonicalQueryString` to verify.
 */
import { createHmac } from "node:crypto";

/** Characters `java.net.URLEncoder` leaves as they are. Everything else becomes UTF-8 `%XX`. */
const JAVA_URL_ENCODER_SAFE = /^[A-Za-z0-9.\-*_]$/;

// Java's String.getBytes(UTF-8) turns an unpaired surrogate into "?", where Buffer would write U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `URLEncoder.encode(value, "UTF-8").replaceAll("\\+", "%20")`: unlike `encodeURIComponent` it encodes `!'()~`
 * and keeps `*`. Hex digits are upper case (the signer lowercases everything anyway).
 */
export function javaUrlEncode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value.replace(LONE_SURROGATE, "?"), "utf8")) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && JAVA_URL_ENCODER_SAFE.test(ch)) out += ch;
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

// Java's String.compareTo: UTF-16 code units, case-sensitive. (JS `<` on strings compares the same units.)
function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The string CloudStack signs, before lowercasing: names sorted case-sensitively, `name=javaUrlEncode(value)`
 * joined by `&`, any `signature` parameter (any case) left out. Names are not encoded, as in `ApiServer`.
 */
export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort(compareJavaStrings)
    .filter((name) => name.toLowerCase() !== "signature")
    .map((name) => `${name}=${javaUrlEncode(params[name] ?? "")}`)
    .join("&");
}

/** HMAC-SHA1 over the lowercased canonical string, base64 (standard alphabet, padded). */
export function signParams(params: Readonly<Record<string, string>>, secretKey: string): string {
  return createHmac("sha1", Buffer.from(secretKey, "utf8"))
    .update(canonicalQueryString(params).toLowerCase(), "utf8")
    .digest("base64");
}

/**
 * `expires` for `signatureversion=3`, as CloudStack writes dates (`yyyy-MM-dd'T'HH:mm:ssZ`, e.g.
 * `2030-01-01T00:00:00+0000`): the one form every `DateUtil.parseTZDateString` version accepts.
 */
export function formatExpires(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

/** Encodes a request body (`application/x-www-form-urlencoded`) with the same encoder CloudStack decodes. */
export function encodeFormBody(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${javaUrlEncode(name)}=${javaUrlEncode(value)}`)
    .join("&");
}

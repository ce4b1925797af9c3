/**
 * CloudStack `NetUtils` semantics for the checks the S2S manager runs — lenient exactly where CloudStack is lenient
 * (digit-only "domain names" such as 999.1.1.1 pass, host bits in CIDRs are allowed, `+8` is a valid prefix).
 */
import { javaSplit } from "./java-split";

/** commons-validator `isValidInet4Address`: four decimal octets 0–255, no leading zeros. */
export function isValidIp4(text: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return false;
  return m.slice(1).every((octet) => Number(octet) <= 255 && !(octet.length > 1 && octet.startsWith("0")));
}

function isValidDomainLabel(label: string): boolean {
  if (label.length < 1 || label.length > 63) return false;
  if (!/^[a-z0-9-]*$/.test(label.toLowerCase())) return false;
  return !label.startsWith("-") && !label.endsWith("-");
}

/** `NetUtils.verifyDomainName`: 1–190 chars, labels of [a-z0-9-] (digit-only allowed), no edge dots or hyphens. */
export function verifyDomainName(text: string): boolean {
  if (text.length < 1 || text.length > 190) return false;
  if (text.startsWith(".") || text.endsWith(".")) return false;
  return javaSplit(text, ".").every(isValidDomainLabel);
}

/** Java `Integer.parseInt`: optional sign, decimal digits, within int range. */
function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : undefined;
}

/** `NetUtils.isValidIp4Cidr`: `a.b.c.d/n`, valid address, 0 ≤ n ≤ 32; host bits allowed. */
export function isValidCidr(text: string): boolean {
  const parts = javaSplit(text, "/");
  if (parts.length !== 2) return false;
  const size = parseJavaInt(parts[1]!);
  return isValidIp4(parts[0]!) && size !== undefined && size >= 0 && size <= 32;
}

/** `NetUtils.isValidCidrList` (main): blank is invalid; each comma-split element must be a valid CIDR. */
export function isValidCidrList(list: string): boolean {
  if (list.trim() === "") return false;
  return javaSplit(list, ",").every(isValidCidr);
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function maskOf(size: number): number {
  return size === 0 ? 0 : (0xffffffff - (2 ** (32 - size) - 1)) >>> 0;
}

function parseCidr(text: string): { address: number; size: number } | undefined {
  if (!isValidCidr(text)) return undefined;
  const [ip, size] = javaSplit(text, "/") as [string, string];
  return { address: ipToNumber(ip), size: Number(size) };
}

/** `NetUtils.getCleanIp4Cidr`: the network address with the given prefix (host bits cleared). */
export function cleanCidr(text: string): string {
  const cidr = parseCidr(text);
  if (!cidr) return text;
  return `${numberToIp((cidr.address & maskOf(cidr.size)) >>> 0)}/${cidr.size}`;
}

/** `NetUtils.getCleanIp4CidrList`: each element cleaned, re-joined with ",". */
export function cleanCidrList(list: string): string {
  return javaSplit(list, ",").map(cleanCidr).join(",");
}

/** `NetUtils.isNetworksOverlap`: compare network addresses under the shorter mask; unparsable = no overlap. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const mask = maskOf(Math.min(x.size, y.size));
  return ((x.address & mask) >>> 0) === ((y.address & mask) >>> 0);
}

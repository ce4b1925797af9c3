import * as ipaddr from "ipaddr.js";

/** A strict dotted quad: four decimal octets, no leading zeros, no shorthand (`127.1`) or hex forms. */
export function isStrictIpv4(text: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text);
}

/** An IPv6 literal without a zone index. */
export function isIpv6(text: string): boolean {
  return text.includes(":") && !text.includes("%") && ipaddr.IPv6.isValid(text);
}

export function ipv4ToNumber(text: string): number {
  return text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export interface Ipv4Cidr {
  /** The text as given. */
  text: string;
  address: number;
  prefix: number;
  /** The aligned network address as a number. */
  network: number;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`; returns a reason string when the text is not one. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return "is not an IPv4 CIDR of the form a.b.c.d/n";
  const [, address, prefixText] = match as unknown as [string, string, string];
  if (!isStrictIpv4(address)) return "does not start with a dotted-quad IPv4 address (four decimal octets)";
  const prefix = Number(prefixText);
  if (prefix > 32 || String(prefix) !== prefixText) return "has a prefix length outside 0…32";
  const value = ipv4ToNumber(address);
  return { text, address: value, prefix, network: (value & maskOf(prefix)) >>> 0 };
}

export function isAligned(cidr: Ipv4Cidr): boolean {
  return cidr.address === cidr.network;
}

export function formatCidr(network: number, prefix: number): string {
  return `${numberToIpv4(network)}/${prefix}`;
}

/** CloudStack's `NetUtils.isNetworksOverlap`: compare the network addresses under the shorter mask. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/** The dotted netmask of a prefix length (`24` → `255.255.255.0`). */
export function netmaskOf(prefix: number): string {
  return numberToIpv4(maskOf(prefix));
}

/** The first address after the network address (`10.3.0.0/16` → `10.3.0.1`). */
export function firstHostOf(cidr: Ipv4Cidr): string {
  return numberToIpv4((cidr.network + 1) >>> 0);
}

/** FQDN syntax: labels of letters, digits and hyphens, 1–63 characters, not starting or ending with a hyphen. */
export function isFqdn(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.endsWith(".") ? text.slice(0, -1).split(".") : text.split(".");
  if (labels.every((label) => /^\d+$/.test(label))) return false; // all-digit names are mistyped addresses
  return labels.every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

/**
 * A Linux interface name as it may stand in an iptables or shell command: 1–15 letters, digits, `_ . -`, never
 * starting with `-` (it would be read as an option) or `.`.
 */
export const INTERFACE_NAME_RE = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,14}$/;
export const INTERFACE_NAME_RULE = "must be an interface name such as eth1 (1–15 letters, digits, _ . -, starting with a letter, digit or _)";

export function isInterfaceName(text: string): boolean {
  return INTERFACE_NAME_RE.test(text);
}

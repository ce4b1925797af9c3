/**
 * Per-vendor translation tables (CloudStack algorithm names → the vendor's) and the problems a vendor cannot
 * express. Kept together so a reviewer can check one vendor's whole vocabulary against its documentation at once.
 */
import { makeIssue, type Issue } from "../../model/issues";
import type { Cipher, DhGroup, Hash, Proposal } from "../../model/policy";
import type { DeviceSite } from "./device-site";

export const DH_NUMBER: Record<DhGroup, number> = { modp1024: 2, modp1536: 5, modp2048: 14, modp3072: 15, modp4096: 16, modp6144: 17, modp8192: 18 };
/** Strongest first: "nearest supported" walks down from the requested group, then up. */
const DH_ORDER: DhGroup[] = ["modp8192", "modp6144", "modp4096", "modp3072", "modp2048", "modp1536", "modp1024"];
const HASH_ORDER: Hash[] = ["sha512", "sha384", "sha256", "sha1", "md5"];

export interface VendorVocabulary {
  ikeCipher: Partial<Record<Cipher, string>>;
  ikeHash: Partial<Record<Hash, string>>;
  espCipher: Partial<Record<Cipher, string>>;
  espHash: Partial<Record<Hash, string>>;
  dh: Partial<Record<DhGroup, string>>;
}

/** A problem a vendor cannot express: field, value, vendor, rule, nearest supported alternative. */
export function deviceProblem(vendor: string, path: string, value: string | number | undefined, rule: string, alternative?: string): Issue {
  const shown = value === undefined ? "" : `${typeof value === "number" ? value : JSON.stringify(value)} `;
  return makeIssue(path, "device-unsupported", `${shown}cannot be expressed for ${vendor}: ${rule}${alternative ? `; nearest supported: ${alternative}` : ""}`);
}

function nearest<T extends string>(wanted: T, order: readonly T[], supported: Partial<Record<T, string>>): T | undefined {
  const at = order.indexOf(wanted);
  const below = order.slice(at + 1).find((x) => supported[x] !== undefined);
  return below ?? [...order.slice(0, at)].reverse().find((x) => supported[x] !== undefined);
}

/** Checks every proposal's algorithms against the vendor's vocabulary; returns all gaps at once. */
export function vocabularyProblems(vendor: string, d: DeviceSite, v: VendorVocabulary): Issue[] {
  const out: Issue[] = [];
  const check = (field: "ikePolicy" | "espPolicy", list: Proposal[], ciphers: Partial<Record<Cipher, string>>, hashes: Partial<Record<Hash, string>>) => {
    const path = `customerGateway.${field}`;
    const kind = field === "ikePolicy" ? "IKE" : "ESP";
    for (const p of list) {
      if (!ciphers[p.cipher]) out.push(deviceProblem(vendor, path, p.cipher, `${vendor} has no ${kind} cipher ${p.cipher}`, Object.keys(ciphers).join(", ")));
      if (!hashes[p.hash]) {
        const alt = nearest(p.hash, HASH_ORDER, hashes);
        out.push(deviceProblem(vendor, path, p.hash, `${vendor} has no ${kind} integrity algorithm ${p.hash}`, alt));
      }
      if (p.dhGroup && !v.dh[p.dhGroup]) {
        const alt = nearest(p.dhGroup, DH_ORDER, v.dh);
        out.push(deviceProblem(vendor, path, p.dhGroup, `${vendor} has no DH group ${p.dhGroup} (group ${DH_NUMBER[p.dhGroup]})${field === "espPolicy" ? " for PFS" : ""}`, alt ? `${alt} (group ${DH_NUMBER[alt]})` : undefined));
      }
    }
  };
  check("ikePolicy", d.ike, v.ikeCipher, v.ikeHash);
  check("espPolicy", d.esp, v.espCipher, v.espHash);
  return dedupe(out);
}

export function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.message) ? false : (seen.add(i.message), true)));
}

/** Vendors with one PFS group per phase-2 policy cannot mirror ESP proposals that use different groups. */
export function singlePfsProblem(vendor: string, d: DeviceSite): Issue[] {
  const groups = [...new Set(d.esp.map((p) => p.dhGroup ?? "none"))];
  if (groups.length <= 1) return [];
  return [deviceProblem(vendor, "customerGateway.espPolicy", groups.join(","), `${vendor} takes one PFS group per phase-2 policy, the ESP proposals use ${groups.length}`, `one DH group for all ESP proposals, e.g. ${groups[0]}`)];
}

/**
 * Vendors whose phase settings are lists combined as a cross product (every cipher with every hash with every
 * group) can only express a proposal list that is exactly such a product; anything else would widen it silently.
 */
export function crossProductProblem(vendor: string, field: "ikePolicy" | "espPolicy", list: Proposal[], axes: ("cipher" | "hash" | "dhGroup" | "cipher-hash")[]): Issue[] {
  const axis = (p: Proposal, a: (typeof axes)[number]): string => (a === "cipher-hash" ? `${p.cipher}-${p.hash}` : (p[a] ?? "none"));
  const values = axes.map((a) => [...new Set(list.map((p) => axis(p, a)))]);
  const product = values.reduce((n, v) => n * v.length, 1);
  const distinct = new Set(list.map((p) => axes.map((a) => axis(p, a)).join("|"))).size;
  if (product === distinct) return [];
  return [deviceProblem(vendor, `customerGateway.${field}`, list.map((p) => `${p.cipher}-${p.hash}${p.dhGroup ? `;${p.dhGroup}` : ""}`).join(","), `${vendor} combines every listed ${axes.join(" with every ")}; these proposals are not such a combination and would be widened`, "proposals that differ in one algorithm only, or a single proposal")];
}

export function rangeProblem(vendor: string, path: string, value: number, min: number, max: number, what: string): Issue[] {
  if (value >= min && value <= max) return [];
  return [deviceProblem(vendor, path, value, `${vendor} accepts a ${what} of ${min}–${max} seconds`, String(Math.min(max, Math.max(min, value))))];
}

/** Rejects PSK characters a vendor's CLI would misread; never quotes the key. */
export function pskCharProblems(vendor: string, d: DeviceSite, forbidden: { chars: string[]; why: string }): Issue[] {
  if (d.psk.placeholder) return [];
  const found = forbidden.chars.filter((c) => d.psk.text.includes(c));
  if (found.length === 0) return [];
  return [deviceProblem(vendor, "customerGateway.ipsecPsk", undefined, `the key contains ${found.map((c) => (c === " " ? "a space" : JSON.stringify(c))).join(", ")}, which ${forbidden.why}`, "a key without these characters (`cloudstack-s2s psk` makes one)")];
}

/** Policy-text comment value, e.g. `aes256-sha256;modp2048`. */
export function proposalText(p: Proposal): string {
  return `${p.cipher}-${p.hash}${p.dhGroup ? `;${p.dhGroup}` : ""}`;
}

/** A config text made of statements, each preceded by a comment naming the site fields it comes from. */
export class SourcedText {
  private readonly lines: string[] = [];
  constructor(private readonly commentPrefix: string) {}

  comment(text: string, indent = ""): this {
    for (const l of text.split("\n")) this.lines.push(`${indent}${this.commentPrefix}${l ? ` ${l}` : ""}`);
    return this;
  }

  /** A statement with its source(s); `indent` is repeated on the comment. */
  stmt(text: string, ...sources: string[]): this {
    const indent = /^\s*/.exec(text)![0];
    if (sources.length > 0) this.lines.push(`${indent}${this.commentPrefix} <- ${sources.join(", ")}`);
    this.lines.push(text);
    return this;
  }

  raw(text: string): this {
    this.lines.push(text);
    return this;
  }

  blank(): this {
    this.lines.push("");
    return this;
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

/** Seconds as RouterOS/VyOS-style compact durations: 86400 → `1d`, 3600 → `1h`, 5400 → `1h30m`. */
export function compactDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join("") || "0s";
}

/** DPD retries for vendors that count missed probes: about `timeout / delay`, within the vendor's bounds. */
export function dpdRetries(d: DeviceSite, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(d.dpdTimeout / d.dpdDelay)));
}

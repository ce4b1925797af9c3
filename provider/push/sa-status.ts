/**
 * Parsers for `ipsec statusall` (stroke) and `swanctl --list-sas` into one shape, so scenarios can assert the
 * same facts (state, IKE SPIs, peer address and ID, CHILD_SA INSTALLED, byte counters) whichever front end runs.
 */

export interface ChildSaStatus {
  name: string;
  /** Unique id (`{n}` / `#n`). */
  id: number;
  state: string;
  /** "TUNNEL", "TUNNEL-in-UDP" (swanctl), or stroke's "TUNNEL" plus `encapsulated` when "ESP in UDP SPIs". */
  mode: string;
  encapsulated: boolean;
  spiIn?: string;
  spiOut?: string;
  bytesIn: number;
  bytesOut: number;
  /** Seconds until rekeying as printed, when shown. */
  rekeyInSeconds?: number;
  localTs: string[];
  remoteTs: string[];
}

export interface IkeSaStatus {
  name: string;
  id: number;
  state: string;
  version?: string;
  spiI?: string;
  spiR?: string;
  localAddr?: string;
  localId?: string;
  remoteAddr?: string;
  remoteId?: string;
  children: ChildSaStatus[];
}

const UNIT_SECONDS: Record<string, number> = { second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };

function seconds(n: string, unit: string): number {
  return Number(n) * (UNIT_SECONDS[unit] ?? (unit.startsWith("s") ? 1 : unit.startsWith("m") ? 60 : unit.startsWith("h") ? 3600 : 86400));
}

/** Strips the `[port]` of `203.0.113.20[4500]`. */
function addr(s: string): string {
  return s.replace(/\[\d+\]$/, "");
}

/** Parses the "Security Associations" part of `ipsec statusall` / `ipsec status`. */
export function parseStrokeStatus(text: string): IkeSaStatus[] {
  const ikes = new Map<string, IkeSaStatus>();
  const children = new Map<string, ChildSaStatus>();
  const childOwner = new Map<string, string>();
  const lastIke: { key?: string } = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    let m = /^(\S+?)\[(\d+)\]: ([A-Z_]+)(?: [^,]*)?, ([^[\s]+)\[(.*)\]\.\.\.([^[\s]+)\[(.*)\]$/.exec(line);
    if (m) {
      const key = `${m[1]}[${m[2]}]`;
      ikes.set(key, { name: m[1]!, id: Number(m[2]), state: m[3]!, localAddr: m[4], localId: m[5], remoteAddr: m[6], remoteId: m[7], children: [] });
      lastIke.key = key;
      continue;
    }
    m = /^(\S+?)\[(\d+)\]: (IKEv\d) SPIs: ([0-9a-f]+)_i\*? ([0-9a-f]+)_r/.exec(line);
    if (m) {
      const ike = ikes.get(`${m[1]}[${m[2]}]`);
      if (ike) Object.assign(ike, { version: m[3], spiI: m[4], spiR: m[5] });
      continue;
    }
    m = /^(\S+?)\{(\d+)\}:\s+([A-Z_]+), ([A-Z_-]+)(.*)$/.exec(line);
    if (m) {
      const key = `${m[1]}{${m[2]}}`;
      const spis = /SPIs: ([0-9a-f]+)_i ([0-9a-f]+)_o/.exec(m[5] ?? "");
      const child: ChildSaStatus = {
        name: m[1]!, id: Number(m[2]), state: m[3]!, mode: m[4]!, encapsulated: /ESP in UDP/.test(m[5] ?? ""),
        ...(spis ? { spiIn: spis[1], spiOut: spis[2] } : {}),
        bytesIn: 0, bytesOut: 0, localTs: [], remoteTs: [],
      };
      children.set(key, child);
      // Stroke prints CHILD_SAs right after the IKE_SA they belong to.
      if (lastIke.key) childOwner.set(key, lastIke.key);
      continue;
    }
    m = /^(\S+?)\{(\d+)\}:\s+(.*)$/.exec(line);
    if (m) {
      const child = children.get(`${m[1]}{${m[2]}}`);
      if (!child) continue;
      const rest = m[3]!;
      const bi = /(\d+) bytes_i/.exec(rest);
      const bo = /(\d+) bytes_o/.exec(rest);
      if (bi) child.bytesIn = Number(bi[1]);
      if (bo) child.bytesOut = Number(bo[1]);
      const rk = /rekeying in (\d+) (\w+)/.exec(rest);
      if (rk) child.rekeyInSeconds = seconds(rk[1]!, rk[2]!);
      const ts = /^(.+?) === (.+)$/.exec(rest);
      if (ts && !bi) {
        child.localTs = ts[1]!.trim().split(/\s+/);
        child.remoteTs = ts[2]!.trim().split(/\s+/);
      }
    }
  }
  for (const [key, child] of children) ikes.get(childOwner.get(key) ?? "")?.children.push(child);
  return [...ikes.values()];
}

/** Parses `swanctl --list-sas`. */
export function parseSwanctlSas(text: string): IkeSaStatus[] {
  const out: IkeSaStatus[] = [];
  let ike: IkeSaStatus | undefined;
  let child: ChildSaStatus | undefined;
  for (const raw of text.split("\n")) {
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (indent === 0 && (m = /^(\S+): #(\d+), ([A-Z_]+), (IKEv\d), ([0-9a-f]+)_i\*? ([0-9a-f]+)_r/.exec(line))) {
      ike = { name: m[1]!, id: Number(m[2]), state: m[3]!, version: m[4], spiI: m[5], spiR: m[6], children: [] };
      child = undefined;
      out.push(ike);
      continue;
    }
    if (!ike) continue;
    if ((m = /^local\s+'(.*)' @ (\S+)$/.exec(line)) && indent === 2) {
      ike.localId = m[1];
      ike.localAddr = addr(m[2]!);
    } else if ((m = /^remote\s+'(.*)' @ (\S+)$/.exec(line)) && indent === 2) {
      ike.remoteId = m[1];
      ike.remoteAddr = addr(m[2]!);
    } else if ((m = /^(\S+): #(\d+), reqid \d+, ([A-Z_]+), ([A-Za-z-]+)/.exec(line)) && indent === 2) {
      child = { name: m[1]!, id: Number(m[2]), state: m[3]!, mode: m[4]!, encapsulated: m[4]!.endsWith("-in-UDP"), bytesIn: 0, bytesOut: 0, localTs: [], remoteTs: [] };
      ike.children.push(child);
    } else if (child && (m = /^(in|out)\s+([0-9a-f]+)(?:\s*\([^)]*\))?,\s+(\d+) bytes/.exec(line))) {
      if (m[1] === "in") Object.assign(child, { spiIn: m[2], bytesIn: Number(m[3]) });
      else Object.assign(child, { spiOut: m[2], bytesOut: Number(m[3]) });
    } else if (child && (m = /rekeying in (\d+)(s|m|h)\b/.exec(line)) && /^installed/.test(line)) {
      child.rekeyInSeconds = seconds(m[1]!, m[2]!);
    } else if (child && (m = /^local\s+(.+)$/.exec(line))) {
      child.localTs = m[1]!.trim().split(/\s+/);
    } else if (child && (m = /^remote\s+(.+)$/.exec(line))) {
      child.remoteTs = m[1]!.trim().split(/\s+/);
    }
  }
  return out;
}

/** The established IKE_SA of connection `name` with an INSTALLED CHILD_SA, if any. */
export function upSa(sas: IkeSaStatus[], name: string): IkeSaStatus | undefined {
  return sas.find((s) => s.name === name && s.state === "ESTABLISHED" && s.children.some((c) => c.state === "INSTALLED"));
}

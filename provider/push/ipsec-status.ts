/**
 * Parser for `ipsec statusall` (stroke, strongSwan 5.9.8; formats in strongswan-netns.md §8): the loaded
 * connections with their remote ID and traffic selectors, and the live SAs with state, peer and byte counters.
 */
export interface LoadedConnection {
  name: string;
  remoteId?: string;
  /** `child:` lines of this connection: `local === remote`, each side space-separated CIDRs. */
  children: { localTs: string[]; remoteTs: string[] }[];
}

export interface SaStatus {
  connection: string;
  /** The IKE_SA's unique id (`name[n]`). */
  ikeId: number;
  /** ESTABLISHED, CONNECTING, DELETING, … as printed. */
  state: string;
  established: boolean;
  /** The peer's address as last seen (a dynamic peer's current IP). */
  peerAddress?: string;
  peerId?: string;
  /** Any CHILD_SA of this IKE_SA INSTALLED. */
  childInstalled: boolean;
  /** Summed over this IKE_SA's CHILD_SAs. */
  bytesIn: number;
  bytesOut: number;
}

export interface IpsecStatus {
  connections: LoadedConnection[];
  sas: SaStatus[];
  /**
   * strongSwan is not running (`ipsec statusall` exit 3, nothing printed): the BACKUP of a redundant VPC, where
   * CloudStack stops `ipsec` until the router becomes PRIMARY. Nothing is loaded; the files are read at its start.
   */
  stopped?: boolean;
}

export function parseStatusAll(text: string): IpsecStatus {
  const connections = new Map<string, LoadedConnection>();
  const sas: SaStatus[] = [];
  const childToIke = new Map<string, SaStatus>();
  let section: "none" | "conns" | "sas" = "none";
  let lastIke: SaStatus | undefined;
  for (const raw of text.split("\n")) {
    if (raw.startsWith("Connections:")) {
      section = "conns";
      continue;
    }
    if (raw.startsWith("Security Associations")) {
      section = "sas";
      continue;
    }
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (section === "conns") {
      if (!(m = /^([^\s:[\]{}]+):\s+(.*)$/.exec(line))) continue;
      const name = m[1]!;
      const rest = m[2]!;
      const conn = connections.get(name) ?? { name, children: [] };
      connections.set(name, conn);
      let d: RegExpExecArray | null;
      if ((d = /^remote:\s+\[(.*)\]/.exec(rest))) conn.remoteId = d[1];
      else if ((d = /^child:\s+(.+?) === (.+?) (TUNNEL|TRANSPORT|PASS|DROP)\b/.exec(rest))) conn.children.push({ localTs: d[1]!.trim().split(/\s+/), remoteTs: d[2]!.trim().split(/\s+/) });
    } else if (section === "sas") {
      if ((m = /^(\S+?)\[(\d+)\]: ([A-Z_]+)\b(.*)$/.exec(line))) {
        const peer = /\.\.\.([^[\s]+)\[(.*)\]\s*$/.exec(m[4]!);
        const sa: SaStatus = { connection: m[1]!, ikeId: Number(m[2]), state: m[3]!, established: m[3] === "ESTABLISHED", childInstalled: false, bytesIn: 0, bytesOut: 0 };
        if (peer && peer[1] !== "%any") sa.peerAddress = peer[1];
        if (peer && peer[2] !== "%any") sa.peerId = peer[2];
        if (!sas.some((s) => s.connection === sa.connection && s.ikeId === sa.ikeId)) sas.push(sa);
        lastIke = sas.find((s) => s.connection === sa.connection && s.ikeId === sa.ikeId);
      } else if ((m = /^(\S+?)\{(\d+)\}:\s+(.*)$/.exec(line))) {
        const key = `${m[1]}{${m[2]}}`;
        const rest = m[3]!;
        // stroke prints a CHILD_SA right after the IKE_SA it belongs to
        if (!childToIke.has(key) && lastIke) childToIke.set(key, lastIke);
        const owner = childToIke.get(key);
        if (!owner) continue;
        if (/^INSTALLED,/.test(rest)) owner.childInstalled = true;
        const bi = /(\d+) bytes_i/.exec(rest);
        const bo = /(\d+) bytes_o/.exec(rest);
        if (bi) owner.bytesIn += Number(bi[1]);
        if (bo) owner.bytesOut += Number(bo[1]);
      }
    }
  }
  return { connections: [...connections.values()], sas };
}

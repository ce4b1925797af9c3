import { createHash, scryptSync } from "node:crypto";
import type { Site2SiteVpnDataBag } from "../model/databag";
import { firewallLines, type OwnFirewall } from "../render/push-firewall";
import type { ExpectedConnection } from "./conf-check";

/** A file as pushed: content as a digest only, so the state can be stored (and shown) without the PSK. */
export interface PushedFile {
  path: string;
  mode: number;
  digest: string;
}

/** What the last push left for one peer, for the renderer's `previous` (the PSK is replaced by a digest). */
export interface PeerRecord {
  connection: string;
  bag: Omit<Site2SiteVpnDataBag, "ipsec_psk">;
  /** Digest of the peer's secrets file, to tell whether the key changed without storing it. */
  secretsDigest: string;
}

/** Returned by every successful push; pass it back as `previous` next time, and to `inspect()`. Holds no secret. */
export interface PushState {
  version: 1;
  /** sha256 over gateway, files, own rules and connections in canonical form. */
  hash: string;
  gateway: { publicIp: string; publicInterface: string };
  files: PushedFile[];
  firewall: OwnFirewall;
  connections: ExpectedConnection[];
  peers: PeerRecord[];
}

/**
 * A conf file gets a plain sha256. A secrets file's digest is scrypt with a salt naming the path: a plain hash of
 * `id : PSK "…"` would let anyone holding the state test guesses of a weak key at GPU speed.
 */
export function fileDigest(path: string, content: string | Buffer): string {
  if (path.endsWith(".secrets")) return `scrypt:${scryptSync(content, `cloudstack-s2s:${path}`, 32, { N: 2 ** 14, r: 8, p: 1 }).toString("hex")}`;
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

export function stateHash(state: Omit<PushState, "hash" | "peers" | "version">): string {
  const canonical = JSON.stringify({
    gateway: state.gateway,
    files: [...state.files].sort((a, b) => a.path.localeCompare(b.path)).map((f) => [f.path, f.mode, f.digest]),
    firewall: firewallLines(state.firewall),
    connections: [...state.connections].sort((a, b) => a.name.localeCompare(b.name)),
  });
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

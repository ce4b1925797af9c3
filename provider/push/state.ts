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
  if (path.endsWith(".secrets")) {
    // scrypt costs ~40 ms and one push needs the same digest several times: remembered in memory only, keyed by
    // a hash of the content (never written anywhere), for the last few files.
    const key = `${path}\0${createHash("sha256").update(content).digest("hex")}`;
    let digest = recentScrypt.get(key);
    if (!digest) {
      digest = `scrypt:${scryptSync(content, `cloudstack-s2s:${path}`, 32, { N: 2 ** 14, r: 8, p: 1 }).toString("hex")}`;
      recentScrypt.set(key, digest);
      if (recentScrypt.size > 256) recentScrypt.delete(recentScrypt.keys().next().value!);
    }
    return digest;
  }
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

const recentScrypt = new Map<string, string>();

export function stateHash(state: Omit<PushState, "hash" | "peers" | "version">): string {
  const canonical = JSON.stringify({
    gateway: state.gateway,
    files: [...state.files].sort((a, b) => a.path.localeCompare(b.path)).map((f) => [f.path, f.mode, f.digest]),
    firewall: firewallLines(state.firewall),
    connections: [...state.connections].sort((a, b) => a.name.localeCompare(b.name)),
  });
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

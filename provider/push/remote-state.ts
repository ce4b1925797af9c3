/**
 * The gateway's own record of what this project pushed there (`/etc/ipsec.d/s2s-state.json`, mode 0600): the
 * PushState of the last verified push. It holds no secret (PSKs appear only as scrypt digests), and it is written
 * and read inside the locked transaction, so a per-peer push always sees the other peers as the last push left them.
 */
import type { RenderedFile } from "../render/types";
import { STATE_PATH } from "./gateway-state";
import type { PushState } from "./state";

export const STATE_FILE_MODE = 0o600;

/** The record as a file the transaction writes with the peers' files (canonical JSON: same state, same bytes). */
export function stateFile(state: PushState): RenderedFile {
  return { path: STATE_PATH, mode: STATE_FILE_MODE, content: `${JSON.stringify(state, null, 1)}\n` };
}

/** Thrown when the record on the gateway cannot be used; the message says how to recover. */
export class StateFileError extends Error {
  constructor(detail: string) {
    super(`${STATE_PATH} on the gateway ${detail}; move it away (the peers' files stay) and push every dynamic peer of this gateway again, or push the complete set with pushDynamicPeers`);
    this.name = "StateFileError";
  }
}

/** Parses the record; undefined when the gateway has none yet. Checks the shape the per-peer push relies on. */
export function parseStateFile(bytes: Buffer | undefined): PushState | undefined {
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new StateFileError(`is not JSON (${(e as Error).message})`);
  }
  const s = value as Partial<PushState> | null;
  if (!s || s.version !== 1) throw new StateFileError(`has version ${JSON.stringify(s?.version ?? null)}, expected 1`);
  const ok =
    typeof s.hash === "string" &&
    typeof s.gateway?.publicIp === "string" &&
    typeof s.gateway.publicInterface === "string" &&
    Array.isArray(s.files) &&
    Array.isArray(s.connections) &&
    Array.isArray(s.peers) &&
    Array.isArray(s.firewall?.chains) &&
    s.peers.every((p) => typeof p?.connection === "string" && typeof p.secretsDigest === "string" && typeof p.bag === "object" && p.bag !== null);
  if (!ok) throw new StateFileError("lacks gateway, files, firewall, connections or peers");
  return s as PushState;
}

import { createHash } from "node:crypto";

/**
 * Host-key pinning. A pin is either the fingerprint `ssh-keygen -l` prints (`SHA256:<base64 without padding>`) or a
 * known_hosts line (`[host]:port ssh-ed25519 AAAA…`, host field optional). There is no "accept on first use": an
 * unpinned gateway is refused, because the push hands it root-level changes and secret files.
 */
export interface HostKeyPin {
  /** `SHA256:…` of the pinned key. */
  fingerprint: string;
  /** Key type when the pin was a known_hosts line (then it must match too). */
  keyType?: string;
}

export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The key type written at the start of an SSH public-key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const n = key.readUInt32BE(0);
  return n > 0 && n < 64 && key.length >= 4 + n ? key.subarray(4, 4 + n).toString("latin1") : undefined;
}

export function parseHostKeyPin(pin: string, field = "hostKey"): HostKeyPin {
  const text = pin.trim();
  if (/^SHA256:[A-Za-z0-9+/]{43}$/.test(text)) return { fingerprint: text };
  const tokens = text.split(/\s+/);
  if (tokens[0]?.startsWith("@")) {
    throw new Error(`\`${field}\` is a known_hosts line with marker ${tokens[0]}; pin the gateway's own key (a plain line, or SHA256:… from \`ssh-keygen -lf <key.pub>\`)`);
  }
  // `[host]:port type base64 [comment]` or `type base64 [comment]`
  for (const start of [1, 0]) {
    const type = tokens[start];
    const b64 = tokens[start + 1];
    if (!type || !b64 || !/^(ssh-|ecdsa-|sk-)/.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    const blob = Buffer.from(b64, "base64");
    if (keyTypeOf(blob) !== type) throw new Error(`\`${field}\`: the ${type} key in the known_hosts line does not decode to a ${type} key; copy the line again from \`ssh-keyscan -p <port> <host>\``);
    return { fingerprint: fingerprintOf(blob), keyType: type };
  }
  throw new Error(
    `\`${field}\` ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} is neither SHA256:<43 base64 chars> nor a known_hosts line; ` +
      "get it with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the gateway (or `ssh-keyscan -p 3922 <host>` checked out of band)",
  );
}

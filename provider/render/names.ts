import { createHash } from "node:crypto";

/**
 * Name of a dynamic peer's connection on a VR. Derived from the peer ID (the bag has no other stable key), with a
 * hash so distinct IDs never collide after slugging, and a prefix outside CloudStack's `ipsec.vpn-*` glob so the
 * VR's own clean-up of stale `ipsec.vpn-<ip>.conf` files never deletes it.
 */
export function dynamicConnectionName(peerId: string): string {
  const slug = peerId.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 24).replace(/-+$/, "");
  const hash = createHash("sha256").update(peerId).digest("hex").slice(0, 8);
  return `s2s-${slug || "peer"}-${hash}`;
}

export const VR_IPSEC_DIR = "/etc/ipsec.d";
export const SWANCTL_CONF_DIR = "/etc/swanctl/conf.d";

/** Names of the split children: `<base>-2`, `<base>-3`, … (as CloudStack's VR names them). */
export function splitChildNames(base: string, cidrCount: number, split: boolean): string[] {
  if (!split || cidrCount < 2) return [];
  return Array.from({ length: cidrCount - 1 }, (_, i) => `${base}-${i + 2}`);
}

/**
 * The layout of the resources' outputs. `schemaVersion` is written into every resource's outputs; 0.1.0 wrote
 * none (version 0). What changed, and is undone on the way in:
 * - 1: a VpnConnection keeps no live telemetry (`peerAddress`, `bytesIn`, `bytesOut`: see `getTunnelStatus`),
 *   and a connection CloudStack manages keeps nothing of the push path (no PSK, no SSH access, no spec).
 */
export const OUTPUT_SCHEMA_VERSION = 1;

/** Live values: they change on every refresh, so they are not outputs. */
export const TELEMETRY_KEYS = ["peerAddress", "bytesIn", "bytesOut"] as const;
/** What only a pushed connection needs (and, for the PSK and SSH access, must keep to delete itself). */
export const PUSH_ONLY_KEYS = ["gateway", "gatewaySsh", "customerGatewaySpec", "ipsecPsk"] as const;

export function migrateOutputs(resource: string, outs: Record<string, unknown>): Record<string, unknown> {
  if (resource !== "vpn-connection") return outs;
  const drop = new Set<string>(TELEMETRY_KEYS);
  if (outs.managedBy !== "gateway") for (const k of PUSH_ONLY_KEYS) drop.add(k);
  return Object.fromEntries(Object.entries(outs).filter(([k]) => !drop.has(k)));
}

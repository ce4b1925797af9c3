/** A file a renderer wants on the gateway; `mode` is the Unix permission bits (secrets: 0o600 or 0o400). */
export interface RenderedFile {
  path: string;
  mode: number;
  content: string;
}

/** One iptables rule as CloudStack's VR tuples express it (`position` "front" = insert at the top). */
export interface FirewallRule {
  table: "filter" | "nat" | "mangle";
  position: "front" | "";
  rule: string;
}

/** What a virtual router must hold and run for one data bag. */
export interface VrRender {
  /** The connection name(s) in `ipsec status` (the first one is the main connection). */
  connections: string[];
  files: RenderedFile[];
  /** Files this render owns that must not exist afterwards (also removed by `commands`, in order). */
  removeFiles: string[];
  /** The complete set of rules this connection needs (the VR reconciles its tuples against it). */
  firewall: FirewallRule[];
  /** Shell commands, in order, run after the files are written. */
  commands: string[];
  /**
   * true: every command is best effort, its exit status ignored (CloudStack's VR ignores the status of all of its
   * commands, and its warm-up ping fails whenever the peer is not up yet). false: stop and roll back on failure.
   */
  bestEffort: boolean;
}

/** Config for a standalone strongSwan host (swanctl) or a branch router (peer side). */
export interface HostRender {
  connections: string[];
  files: RenderedFile[];
  /** The INPUT rules the host needs for IKE (the same tuples as the VR format's filter rules). */
  firewall: FirewallRule[];
  commands: string[];
}

/** Joins lines the way CloudStack's CsFile writes them: each line followed by a newline. */
export function fileText(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join("");
}

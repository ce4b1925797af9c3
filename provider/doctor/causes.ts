/** The cause codes `doctor` reports, each with what it means (README and docs/doctor-causes.md list the same). */
export const CAUSES = {
  established: "IKE_SA and CHILD_SA both established: the tunnel came up.",
  "psk-mismatch": "The pre-shared keys differ (a MAC check failed on one side).",
  "psk-missing": "The router has the connection but no key for the branch's ID (secrets not loaded).",
  "id-mismatch": "An IKE identity (its text or its type) differs from what the other side expects.",
  "auth-failed": "Branch side only: the router rejected our authentication; its log says whether the key or the ID is wrong (pass --site to decide from the branch's log).",
  "ike-proposal-mismatch": "No common IKE proposal (encryption, integrity, PRF or DH group).",
  "esp-proposal-mismatch": "No common ESP proposal, including the PFS group at CHILD_SA rekeying.",
  "ts-mismatch": "The traffic selectors (subnets) of the two sides do not fit.",
  "no-response": "The branch's IKE requests got no answer (blocked UDP 500/4500, wrong router address, router down).",
  "source-not-allowed": "Packets from the branch's address are dropped by the router's allow-list (allowedSourceCidrs).",
  "ikev1-not-allowed": "An IKEv1 initiator against a dynamic-peer connection, which is IKEv2 only.",
  "no-ike-config": "The router has no connection for the address the packet reached (wrong router IP, connection not loaded).",
  "peer-gone": "An established tunnel's peer stopped answering (DPD or another request timed out); the branch must re-initiate.",
  "nat-detected": "This side or the other is behind NAT (UDP 4500 encapsulation, keepalives); informational.",
  "router-drift": "Live only: the router's files, firewall chains or loaded connections differ from the push's record.",
  "kernel-sa-failed": "IKE agreed but the kernel refused the IPsec SA (no ESP support): the peer sees NO_PROPOSAL_CHOSEN.",
} as const;

export type CauseCode = keyof typeof CAUSES;

export type Side = "vr" | "peer";

export interface Finding {
  cause: CauseCode;
  side: Side;
  /** Connection name, or `from <address>` when no connection matched. */
  connection: string;
  /** The log lines that show it, quoted as written (secrets redacted). */
  evidence: string[];
  /** What to change, naming the site field when there is one. */
  fix: string;
  /** The site field to change (`customerGateway.ikePolicy`, …) when the fix is on the site. */
  field?: string;
  /** Side-by-side lists and ID comparisons. */
  detail?: string[];
  /** The peer's address as seen in the log. */
  peerAddress?: string;
}

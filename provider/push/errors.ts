/**
 * Errors of the push layer. Texts name the step, the gateway and the field, show the offending value (never a
 * secret: no PSK, no key, no secrets-file line), say what happened and what to do. A failed push always says
 * whether the gateway was restored, and if not, what it was left holding.
 */
export type PushStep =
  | "render"
  | "lock"
  | "snapshot"
  | "check-secrets"
  | "upload"
  | "check-conf"
  | "check-firewall"
  | "rename"
  | "remove-files"
  | "firewall-apply"
  | "reload"
  | "verify-connections"
  | "verify-firewall"
  | "verify-files"
  | "down-changed"
  | "conntrack"
  | "heal";

const FIX: Record<PushStep, string> = {
  render: "fix the input named above",
  lock: "another push to this gateway holds /run/cloudstack-s2s-push.lock; retry when it is done (a stuck holder ends when its SSH session does)",
  snapshot: "check that strongSwan runs on the gateway (`ipsec statusall`) and that iptables-save works there",
  "check-secrets": "remove or re-key the secret named above on the gateway (it is not one this project wrote), or give the branch an ID no other secret names; nothing was changed",
  upload: "check free space and permissions of /etc/ipsec.d on the gateway",
  "check-conf": "the uploaded bytes differ from the rendered ones; check the gateway's disk and retry",
  "check-firewall": "iptables-restore rejected the rules shown; report it with the rule text",
  rename: "check /etc/ipsec.d on the gateway (read-only file system? immutable files?)",
  "remove-files": "check /etc/ipsec.d on the gateway",
  "firewall-apply": "iptables-restore rejected the rules shown; check the iptables version and modules on the gateway",
  reload: "check that the strongSwan starter runs on the gateway (`ipsec status`); `ipsec update` needs it",
  "verify-connections": "charon did not load the connection as rendered; look at the gateway's charon log for the reason",
  "verify-firewall": "something rewrote our chains during the push (CloudStack reconfiguring the router?); retry",
  "verify-files": "something changed /etc/ipsec.d during the push; retry",
  "down-changed": "check charon on the gateway (`ipsec statusall`)",
  conntrack: "check that conntrack is installed on the gateway",
  heal: "the s2s-heal watcher did not start or stop; run `sh /etc/ipsec.d/s2s-heal.sh status` on the gateway (it needs sh, flock, setsid, awk, iptables-save)",
};

export class PushError extends Error {
  readonly code = "push-failed";
  constructor(
    readonly step: PushStep,
    readonly host: string,
    readonly detail: string,
    /** true: the gateway holds exactly what it held before (verified). false: see `leftState`. */
    readonly restored: boolean,
    readonly leftState?: string,
  ) {
    const outcome = restored
      ? "the gateway was restored to its previous state (own files, own iptables chains and loaded connections verified equal to the snapshot)"
      : `RESTORE FAILED, the gateway is left as follows: ${leftState}`;
    super(`push to ${host} failed at step \`${step}\`: ${detail}; ${outcome}; fix: ${FIX[step]}`);
    this.name = "PushError";
  }
}

/** The input cannot be pushed; raised before anything touches the gateway. */
export class PushInputError extends Error {
  readonly code = "push-invalid-input";
  constructor(message: string) {
    super(message);
    this.name = "PushInputError";
  }
}

/** First meaningful line(s) of a remote command's output, bounded (our commands never print secrets). */
export function firstLines(text: string, n = 2): string {
  return text.trim().split("\n").filter(Boolean).slice(0, n).join(" | ").slice(0, 400) || "(no output)";
}

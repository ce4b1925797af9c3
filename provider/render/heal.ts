/**
 * The gateway-side self-healing of a push (s2s-heal): CloudStack's firewall reconciliation (CsNetfilters.compare)
 * deletes every rule it did not generate on each reconfiguration, and a reboot loses all rules. A small watcher on
 * the router re-applies EXACTLY the recorded own chains and their jumps, without the controller:
 *
 * - `/etc/ipsec.d/s2s-heal.rules` (0600): `iptables-restore --noflush` input for the S2S_DYN_* chains (each chain
 *   created or emptied and refilled, one transaction per table) plus `# s2s-jump <table> <rule>` lines (comments
 *   to iptables-restore) naming the jumps. Rendered from the push's own firewall: never more than recorded.
 * - `/etc/ipsec.d/s2s-heal.sh` (0700): `watch` compares, once a second, the S2S_DYN_* rules and jumps in
 *   `iptables-save` with the rules file and re-applies them when they differ (taking the push's lock first, so it
 *   never interleaves with a push); it re-executes a newer copy of itself, and ends when the rules file is gone
 *   (the last peer was removed). `start` starts it once (flock), `status` reports it, `once` heals once.
 * - `/etc/strongswan.d/s2s-heal.conf`: `charon.start-scripts`, so the watcher starts whenever charon starts (the
 *   router's boot, an `ipsec restart` by anyone). Debian's stock strongswan.conf includes strongswan.d/*.conf.
 *
 * It never touches a rule outside its chains except its own jumps (inserted at position 1, as the push does; a
 * jump to an own chain that is not recorded is deleted), never restarts charon, never edits CloudStack's files.
 * The names are outside every glob CloudStack or strongSwan reads (`ipsec.vpn-*`, `/etc/ipsec.d/*.conf|secrets`).
 */
import type { OwnFirewall } from "./push-firewall";
import type { RenderedFile } from "./types";

export const HEAL_VERSION = 1;
export const HEAL_SCRIPT_PATH = "/etc/ipsec.d/s2s-heal.sh";
export const HEAL_RULES_PATH = "/etc/ipsec.d/s2s-heal.rules";
export const HEAL_STARTER_PATH = "/etc/strongswan.d/s2s-heal.conf";
export const HEAL_PATHS: readonly string[] = [HEAL_SCRIPT_PATH, HEAL_RULES_PATH, HEAL_STARTER_PATH];
/** Runtime files (tmpfs on a router: gone after a reboot, as the watcher is). */
export const HEAL_PID_PATH = "/run/s2s-heal.pid";
export const HEAL_STATUS_PATH = "/run/s2s-heal.status";
/** One fixed command: `key=value` lines (version, running, pid, heals, last, result). Exit 0 even when stopped. */
export const HEAL_STATUS_COMMAND = `sh ${HEAL_SCRIPT_PATH} status`;
export const HEAL_START_COMMAND = `sh ${HEAL_SCRIPT_PATH} start`;
/** Exits 0 once no watcher runs (its pid file is gone), 1 after ~6 s (it polls every 1–2 s). For the last peer's removal. */
export const HEAL_GONE_COMMAND = `i=0; while [ -e ${HEAL_PID_PATH} ] && [ $i -lt 60 ]; do sleep 0.1; i=$((i+1)); done; [ ! -e ${HEAL_PID_PATH} ]`;

/** The rules file for a firewall (the push's plan.firewall): chains as blocks, jumps as `# s2s-jump` lines. */
export function healRulesText(firewall: OwnFirewall): string {
  const tables = [...new Set(firewall.chains.map((c) => c.table))];
  const blocks = tables.map((t) => {
    const chains = firewall.chains.filter((c) => c.table === t);
    return [`*${t}`, ...chains.flatMap((c) => [`:${c.chain} - [0:0]`, ...c.rules]), "COMMIT"].join("\n");
  });
  const jumps = firewall.chains.map((c) => `# s2s-jump ${c.table} ${c.jump}`);
  return [`# s2s-heal rules v${HEAL_VERSION} (cloudstack-s2s): the pushed S2S_DYN_* chains and their jumps; rewritten by every push`, ...blocks, ...jumps, ""].join("\n");
}

const SCRIPT = `#!/bin/sh
# s2s-heal v${HEAL_VERSION} (cloudstack-s2s). Re-applies the pushed S2S_DYN_* chains and their jumps when CloudStack's
# firewall reconciliation or a reboot removed them: exactly ${HEAL_RULES_PATH}, nothing else. Installed, replaced
# and removed by the push (it goes with the last pushed peer). Usage: s2s-heal.sh watch|start|once|status
VERSION=${HEAL_VERSION}
RULES=${HEAL_RULES_PATH}
SELF=${HEAL_SCRIPT_PATH}
PIDFILE=${HEAL_PID_PATH}
STATUS=${HEAL_STATUS_PATH}
PUSHLOCK=/run/cloudstack-s2s-push.lock
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
set -f
umask 077
TAB=$(printf '\\t')

# table<TAB>rule for every own rule and jump, sorted: what the rules file records, and what iptables holds.
want() { awk '/^\\*/ { t = substr($0, 2) } /^-A / { print t "\\t" $0 } /^# s2s-jump / { r = $0; sub(/^# s2s-jump [a-z]+ /, "", r); print $3 "\\t" r }' "$RULES" | sort; }
have() { iptables-save | awk '/^\\*/ { t = substr($0, 2) } /^-A / && ($2 ~ /^S2S_DYN_/ || / -[jg] S2S_DYN_/) { print t "\\t" $0 }' | sort; }

heal() {
  iptables-restore -w 10 --noflush <"$RULES" || return 1
  now=$(have)
  # A jump to an own chain that is not recorded (an old gateway address) goes; a recorded one is there once.
  printf '%s\\n' "$now" | while IFS="$TAB" read -r t rule; do
    case "$rule" in ""|"-A S2S_DYN_"*) continue ;; esac
    grep -qxF "# s2s-jump $t $rule" "$RULES" || iptables -w 10 -t "$t" -D \${rule#-A }
  done
  grep '^# s2s-jump ' "$RULES" | while read -r _ _ t rule; do
    n=$(printf '%s\\n' "$now" | grep -cxF "$t$TAB$rule")
    spec=\${rule#-A }
    while [ "$n" -gt 1 ]; do iptables -w 10 -t "$t" -D $spec; n=$((n - 1)); done
    [ "$n" -eq 0 ] && iptables -w 10 -t "$t" -I \${spec%% *} 1 \${spec#* }
  done
  [ "$(want)" = "$(have)" ]
}

record() {
  heals=$(sed -n 's/^heals=//p' "$STATUS" 2>/dev/null)
  printf 'version=%s\\nheals=%s\\nlast=%s\\nresult=%s\\n' "$VERSION" "$(( \${heals:-0} + 1 ))" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >"$STATUS.tmp" && mv -f "$STATUS.tmp" "$STATUS"
}

# One heal if needed, under the push's lock (skipped while a push holds it: the push sets the rules itself).
once() {
  [ -f "$RULES" ] || return 0
  [ "$(want)" = "$(have)" ] && return 0
  exec 7>>"$PUSHLOCK"
  if flock -n 7; then
    if heal; then record ok; else record failed; fi
    flock -u 7
  fi
  exec 7>&-
}

running() { p=$(cat "$PIDFILE" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && grep -q s2s-heal "/proc/$p/cmdline" 2>/dev/null; }

# The watcher leads its own process group (setsid): the event reader below is ended with the group.
finish() { rm -f "$PIDFILE" "$STATUS" "$PIDFILE.lock"; trap - TERM INT; [ -z "$MON" ] || kill -TERM -$$ 2>/dev/null; exit 0; }
stop_events() { [ -z "$MON" ] || { trap '' TERM; kill -TERM -$$ 2>/dev/null; trap - TERM; MON=; }; }

watch() {
  exec 9>>"$PIDFILE.lock"
  flock -n 9 || exit 0
  echo $$ >"$PIDFILE"
  trap finish TERM INT
  MON=
  POLL=1
  # nf_tables reports every ruleset change: heal right after CloudStack's reconfiguration commits, instead of at
  # the next poll (which then only backs the event reader up).
  if command -v xtables-monitor >/dev/null 2>&1 && command -v stdbuf >/dev/null 2>&1 && iptables -V 2>/dev/null | grep -q nf_tables; then
    # (line-buffered: a pipe would otherwise hold the events back in stdio buffers)
    # Only removals can take an own rule away (our own heal adds); anything else would just queue checks.
    (stdbuf -oL xtables-monitor -e 2>/dev/null | while read -r ev; do
      case "$ev" in *" -D "*S2S_DYN_*|*" -F "*S2S_DYN_*|*" -X S2S_DYN_"*|*"DEL table"*|*"DEL chain"*) once ;; esac
    done) </dev/null >/dev/null 2>&1 &
    MON=$!
    POLL=2
  fi
  while [ -f "$RULES" ]; do
    once
    # A push installed a newer copy of this script: continue as that one.
    if [ "$SELF" -nt "$PIDFILE" ]; then stop_events; rm -f "$PIDFILE"; exec 9>&-; exec /bin/sh "$SELF" watch; fi
    sleep $POLL
  done
  finish
}

case "$1" in
  watch) watch ;;
  once) once ;;
  start)
    [ -f "$RULES" ] || exit 0
    running && exit 0
    setsid /bin/sh "$SELF" watch </dev/null >/dev/null 2>&1 &
    i=0
    while ! running && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    running ;;
  status)
    echo "version=$VERSION"
    if running; then echo "running=yes"; echo "pid=$(cat "$PIDFILE")"; else echo "running=no"; fi
    grep -E '^(heals|last|result)=' "$STATUS" 2>/dev/null
    exit 0 ;;
  *) echo "usage: $0 watch|start|once|status" >&2; exit 2 ;;
esac
`;

const STARTER = `# s2s-heal v${HEAL_VERSION} (cloudstack-s2s): starts the firewall watcher whenever charon starts (boot, ipsec restart).
# Installed and removed by the push with ${HEAL_SCRIPT_PATH}.
charon {
  start-scripts {
    s2s-heal = /bin/sh ${HEAL_SCRIPT_PATH} start
  }
}
`;

/** The three files a gateway holds while at least one peer is pushed (none when no peer is). */
export function renderHeal(firewall: OwnFirewall): RenderedFile[] {
  return [
    { path: HEAL_SCRIPT_PATH, mode: 0o700, content: SCRIPT },
    { path: HEAL_RULES_PATH, mode: 0o600, content: healRulesText(firewall) },
    { path: HEAL_STARTER_PATH, mode: 0o644, content: STARTER },
  ];
}

export interface HealStatus {
  version?: number;
  running: boolean;
  pid?: number;
  heals: number;
  last?: string;
  result?: string;
}

/** Parses `s2s-heal.sh status` output (unknown keys ignored). */
export function parseHealStatus(text: string): HealStatus {
  const kv = new Map(text.split("\n").map((l) => l.trim().split("=", 2) as [string, string]).filter((p) => p.length === 2));
  const num = (k: string): number | undefined => (kv.has(k) && /^\d+$/.test(kv.get(k)!) ? Number(kv.get(k)) : undefined);
  return {
    ...(num("version") !== undefined ? { version: num("version")! } : {}),
    running: kv.get("running") === "yes",
    ...(num("pid") !== undefined ? { pid: num("pid")! } : {}),
    heals: num("heals") ?? 0,
    ...(kv.get("last") ? { last: kv.get("last")! } : {}),
    ...(kv.get("result") ? { result: kv.get("result")! } : {}),
  };
}

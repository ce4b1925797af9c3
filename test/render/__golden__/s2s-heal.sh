#!/bin/sh
# s2s-heal v1 (cloudstack-s2s). Re-applies the pushed S2S_DYN_* chains and their jumps when CloudStack's
# firewall reconciliation or a reboot removed them: exactly /etc/ipsec.d/s2s-heal.rules, nothing else. Installed, replaced
# and removed by the push (it goes with the last pushed peer). Usage: s2s-heal.sh watch|start|once|status
VERSION=1
RULES=/etc/ipsec.d/s2s-heal.rules
SELF=/etc/ipsec.d/s2s-heal.sh
PIDFILE=/run/s2s-heal.pid
STATUS=/run/s2s-heal.status
PUSHLOCK=/run/cloudstack-s2s-push.lock
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
set -f
umask 077
TAB=$(printf '\t')

# table<TAB>rule for every own rule and jump, sorted: what the rules file records, and what iptables holds.
want() { awk '/^\*/ { t = substr($0, 2) } /^-A / { print t "\t" $0 } /^# s2s-jump / { r = $0; sub(/^# s2s-jump [a-z]+ /, "", r); print $3 "\t" r }' "$RULES" | sort; }
have() { iptables-save | awk '/^\*/ { t = substr($0, 2) } /^-A / && ($2 ~ /^S2S_DYN_/ || / -[jg] S2S_DYN_/) { print t "\t" $0 }' | sort; }

heal() {
  iptables-restore -w 10 --noflush <"$RULES" || return 1
  now=$(have)
  # A jump to an own chain that is not recorded (an old gateway address) goes; a recorded one is there once.
  printf '%s\n' "$now" | while IFS="$TAB" read -r t rule; do
    case "$rule" in ""|"-A S2S_DYN_"*) continue ;; esac
    grep -qxF "# s2s-jump $t $rule" "$RULES" || iptables -w 10 -t "$t" -D ${rule#-A }
  done
  grep '^# s2s-jump ' "$RULES" | while read -r _ _ t rule; do
    n=$(printf '%s\n' "$now" | grep -cxF "$t$TAB$rule")
    spec=${rule#-A }
    while [ "$n" -gt 1 ]; do iptables -w 10 -t "$t" -D $spec; n=$((n - 1)); done
    [ "$n" -eq 0 ] && iptables -w 10 -t "$t" -I ${spec%% *} 1 ${spec#* }
  done
  [ "$(want)" = "$(have)" ]
}

record() {
  heals=$(sed -n 's/^heals=//p' "$STATUS" 2>/dev/null)
  printf 'version=%s\nheals=%s\nlast=%s\nresult=%s\n' "$VERSION" "$(( ${heals:-0} + 1 ))" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >"$STATUS.tmp" && mv -f "$STATUS.tmp" "$STATUS"
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

#!/bin/sh
# Installs what the e2e lab needs (strongSwan, swanctl, kernel-libipsec, iptables, iproute2, ping, conntrack, sshd)
# WITHOUT starting a charon or sshd in the root namespace. Idempotent: when everything is present it only runs
# dpkg-query (no apt-get update) and exits in well under a second.
set -eu

# libstrongswan-standard-plugins (openssl) is only a Recommends of libstrongswan, and we install without recommends.
PACKAGES="strongswan strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins iptables iproute2 iputils-ping conntrack openssh-server"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "provision: all e2e packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "provision: missing:$missing — run as root: sudo scripts/provision.sh" >&2
  exit 1
fi
echo "provision: installing$missing"

# Daemons that exist before we install: anything new afterwards was started by a package's postinst.
daemon_pids() { pgrep -x 'charon|starter|sshd' 2>/dev/null | sort || true; }
before=$(daemon_pids)

# policy-rc.d exiting 101 stops invoke-rc.d from starting services during install. Only ours is removed.
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { [ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d; return 0; }
trap cleanup EXIT INT TERM

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing

after=$(daemon_pids)
started=$(printf '%s\n' "$after" | grep -vxF -e "$(printf '%s\n' "$before")" -e '' || true)
for pid in $started; do
  # Only root-namespace daemons matter (lab ones live in their own network namespace and are never "new" here).
  if [ -z "$(ip netns identify "$pid" 2>/dev/null)" ]; then
    echo "provision: package install started $(cat /proc/"$pid"/comm 2>/dev/null) (pid $pid) in the root namespace; stopping it" >&2
    kill "$pid" 2>/dev/null || true
    failed=1
  fi
done
if [ -n "${failed:-}" ]; then
  echo "provision: a daemon was started despite policy-rc.d; it was stopped — check the service configuration" >&2
  exit 1
fi
echo "provision: done; no charon or sshd started in the root namespace"

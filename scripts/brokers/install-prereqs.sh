#!/usr/bin/env bash
# Installs, from Debian's packages, what scripts/brokers/brokers.sh and the
# broker interop tests need. Idempotent: a tool that is already on PATH is
# left alone, and apt is not touched at all when nothing is missing.
# Must run as root (CI runs it as root; on a workstation use sudo).
set -euo pipefail

need=()

# command -> Debian package providing it
check() {
  local cmd=$1 pkg=$2
  if ! command -v "$cmd" >/dev/null 2>&1; then
    need+=("$pkg")
  fi
}

check curl curl
check unzip unzip                    # brokers.sh checks the Kafka jar
check kcat kcat                      # interop peer for the Kafka tests
check java openjdk-17-jre-headless   # Kafka 4.x brokers need Java 17+
check keytool openjdk-17-jre-headless
check javac openjdk-17-jdk-headless  # compiles the Java client peers of the Kafka tests
check mvn maven                      # resolves the broker jars
check python3 python3
check redis-server redis-server      # the Redis idempotency store of the tests

# moto runs in a virtualenv; a bare Debian python3 lacks venv/ensurepip.
if command -v python3 >/dev/null 2>&1 &&
  ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  need+=(python3-venv)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "install-prereqs: everything present"
  exit 0
fi

# de-duplicate (java and keytool come from the same package)
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-prereqs: missing ${need[*]}; run this script as root" >&2
  exit 1
fi

echo "install-prereqs: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-prereqs: done"

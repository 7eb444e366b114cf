#!/usr/bin/env bash
# Make sure Debian's PostgreSQL server binaries are installed, so that the store tests
# (tests/store) run against a real server instead of skipping. The tests start and stop their
# own throwaway cluster (initdb + pg_ctl on a loopback port); nothing is started here.
# .ci/run calls this, then runs the tests with KGB_REQUIRE_POSTGRES=1 (a missing server fails).
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-postgres: PostgreSQL is missing and cannot be installed (needs root and apt-get)" >&2
  exit 1
fi
echo "ci-postgres: installing Debian's postgresql"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# the package's own cluster is not needed: the tests make theirs
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
    pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
  done
fi
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null

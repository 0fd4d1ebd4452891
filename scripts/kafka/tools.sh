#!/usr/bin/env bash
# Installs the client tools the Kafka integration tests use as independent
# (non-ksqlite) clients: kcat. Best effort: with apt-get and root it installs
# the Debian package; otherwise it says what is missing and the tests that
# need it skip. Called by start.sh; safe to run again.
set -uo pipefail

log() { echo "[kafka/tools] $*" >&2; }

if command -v kcat >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "kcat is missing and there is no apt-get here: install kcat to run the tests that read topics with it"
  exit 0
fi
if [[ $(id -u) != 0 ]]; then
  log "kcat is missing (run 'apt-get install -y kcat' as root to run the tests that read topics with it)"
  exit 0
fi
log "installing kcat (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! { timeout 180 apt-get update -qq >/dev/null 2>&1 && timeout 300 apt-get install -y -qq kcat >/dev/null 2>&1; }; then
  log "could not install kcat with apt-get; the tests that read topics with it will skip"
fi
exit 0

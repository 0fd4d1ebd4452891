#!/usr/bin/env bash
# Stop the schema registry and the Kafka broker that scripts/kafka/start.sh
# started (by their pid files; nothing else is touched). Data is kept:
# the next start.sh resumes with the same topics, offsets and schemas.
# KSQLITE_KAFKA_WIPE=1 also deletes the data (not the downloaded jars).
# KSQLITE_KAFKA_STATE_DIR: the instance start.sh started with the same setting.
set -euo pipefail

BASE=${KSQLITE_KAFKA_DIR:-$HOME/.cache/ksqlite/kafka}
# As in start.sh: KSQLITE_KAFKA_STATE_DIR holds the data and pid files of a second instance.
STATE=${KSQLITE_KAFKA_STATE_DIR:-$BASE}
RUN="$STATE/run"

log() { echo "[kafka/stop] $*" >&2; }

stop() { # name, pidfile, a word its command line must contain
  local name=$1 pidfile=$2 marker=$3 pid i
  if [[ ! -f $pidfile ]]; then
    log "$name: not started here (no $pidfile)"
    return 0
  fi
  pid=$(cat "$pidfile")
  # The pid may have been reused since: only signal our own process.
  if ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$marker"; then
    log "$name: not running"
    rm -f "$pidfile"
    return 0
  fi
  log "$name: stopping pid $pid"
  kill -TERM "$pid"
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: did not stop in 30s, killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop "Schema registry" "$RUN/registry.pid" quarkus.http.port
stop Kafka "$RUN/kafka.pid" kafka.Kafka

if [[ ${KSQLITE_KAFKA_WIPE:-} == 1 ]]; then
  log "deleting data under $STATE/data"
  rm -rf "$STATE/data"
fi

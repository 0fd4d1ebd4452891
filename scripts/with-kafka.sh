#!/usr/bin/env bash
# Runs a command with the test Kafka broker and schema registry up
# (scripts/kafka/start.sh: fetched from Maven Central on first use, started
# on 127.0.0.1:9092 and :8081) and KSQLITE_BOOTSTRAP_SERVER /
# KSQLITE_SCHEMA_REGISTRY_URL exported, so the Kafka integration tests run.
# KSQLITE_SKIP_KAFKA=1 runs the command without them (those tests skip).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${KSQLITE_SKIP_KAFKA:-} != 1 ]]; then
  out=$(scripts/kafka/start.sh)
  while IFS= read -r line; do
    case $line in
      KSQLITE_BOOTSTRAP_SERVER=* | KSQLITE_SCHEMA_REGISTRY_URL=*) export "${line?}" ;;
    esac
  done <<<"$out"
  if [[ -z ${KSQLITE_BOOTSTRAP_SERVER:-} ]]; then
    echo "scripts/kafka/start.sh did not report a broker; set KSQLITE_SKIP_KAFKA=1 to test without Kafka" >&2
    exit 1
  fi
  echo "Kafka at $KSQLITE_BOOTSTRAP_SERVER, schema registry at $KSQLITE_SCHEMA_REGISTRY_URL" >&2
fi
exec "$@"

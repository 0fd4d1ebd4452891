#!/usr/bin/env bash
# Start a single-node Apache Kafka (KRaft, broker+controller in one JVM) on
# 127.0.0.1:9092 and a Confluent-compatible schema registry (Apicurio
# Registry, its ccompat API) on 127.0.0.1:8081, both fetched from Maven
# Central with mvn on first use and cached afterwards. Idempotent: what
# already answers is left alone. The last two lines printed are always
#   KSQLITE_BOOTSTRAP_SERVER=127.0.0.1:9092
#   KSQLITE_SCHEMA_REGISTRY_URL=<url>
# so that `eval "$(scripts/kafka/start.sh | tail -2 | sed 's/^/export /')"` works.
#
# Settings (environment):
#   KSQLITE_KAFKA_DIR          cache, data and logs (default ~/.cache/ksqlite/kafka)
#   KSQLITE_KAFKA_STATE_DIR    data, pid files and logs only (default: under KSQLITE_KAFKA_DIR);
#                              with other ports, a second broker sharing the downloaded jars
#   KSQLITE_KAFKA_VERSION      broker release on Maven Central (default 3.9.2)
#   KSQLITE_REGISTRY_VERSION   io.apicurio:apicurio-registry-app release (default 3.0.9)
#   KSQLITE_KAFKA_HEAP         broker JVM heap flags (default -Xms128m -Xmx512m)
#   KSQLITE_REGISTRY_HEAP      registry JVM heap flags (default -Xms64m -Xmx384m)
#   KSQLITE_KAFKA_PORT / KSQLITE_KAFKA_CONTROLLER_PORT / KSQLITE_REGISTRY_PORT
#                              9092 / 29093 / 8081
#   KSQLITE_NO_REGISTRY=1      start Kafka only
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE=${KSQLITE_KAFKA_DIR:-$HOME/.cache/ksqlite/kafka}
KAFKA_VERSION=${KSQLITE_KAFKA_VERSION:-3.9.2}
REGISTRY_VERSION=${KSQLITE_REGISTRY_VERSION:-3.0.9}
HOST=127.0.0.1
KAFKA_PORT=${KSQLITE_KAFKA_PORT:-9092}
# Not 9093: tests use 127.0.0.1:9093 as the address where nothing answers.
CONTROLLER_PORT=${KSQLITE_KAFKA_CONTROLLER_PORT:-29093}
REGISTRY_PORT=${KSQLITE_REGISTRY_PORT:-8081}
KAFKA_HEAP=${KSQLITE_KAFKA_HEAP:--Xms128m -Xmx512m}
REGISTRY_HEAP=${KSQLITE_REGISTRY_HEAP:--Xms64m -Xmx384m}
REGISTRY_URL="http://$HOST:$REGISTRY_PORT/apis/ccompat/v7"

KAFKA_MAJOR=${KAFKA_VERSION%%.*}
KAFKA_MINOR=${KAFKA_VERSION#*.}
KAFKA_MINOR=${KAFKA_MINOR%%.*}
# Data of one major.minor line is kept across patch releases; a newer line gets its own.
STATE=${KSQLITE_KAFKA_STATE_DIR:-$BASE}
KAFKA_DATA="$STATE/data/kafka-$KAFKA_MAJOR.$KAFKA_MINOR"
KAFKA_JARS="$BASE/jars/kafka-$KAFKA_VERSION"
REGISTRY_HOME="$BASE/registry-$REGISTRY_VERSION"
REGISTRY_DATA="$STATE/data/registry"
RUN="$STATE/run"

log() { echo "[kafka/start] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

mkdir -p "$BASE" "$RUN"

# --- probes ------------------------------------------------------------------

# A Kafka ApiVersions v0 request over bash's /dev/tcp: answers only when a
# broker (not just any listener) is up and serving requests.
kafka_answers() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    # size=23, api_key=18, api_version=0, correlation_id=0x6b73716c ("ksql"), client_id="ksqlite-probe"
    printf "\x00\x00\x00\x17\x00\x12\x00\x00\x6b\x73\x71\x6c\x00\x0dksqlite-probe" >&3
    reply=$(head -c 10 <&3 | od -An -tx1 | tr -d " \n")
    # size (4 bytes), the echoed correlation id, error code 0
    [[ ${reply:8:8} == 6b73716c && ${reply:16:4} == 0000 ]]
  ' "$HOST" "$KAFKA_PORT" 2>/dev/null
}

http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true
  else
    timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3
      head -n 1 <&3 | cut -d" " -f2
    ' "$HOST" "$REGISTRY_PORT" "${1#http://*/}" 2>/dev/null || true
  fi
}

registry_answers() { [[ $(http_status "$REGISTRY_URL/subjects") == 200 ]]; }

port_taken() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null; }

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # name, pidfile, logfile, seconds, probe
  local name=$1 pidfile=$2 logfile=$3 seconds=$4 probe=$5 i
  for ((i = 0; i < seconds * 4; i++)); do
    if $probe; then return 0; fi
    if ! pid_alive "$pidfile"; then
      tail -n 40 "$logfile" >&2 || true
      die "$name exited during start; full log: $logfile"
    fi
    sleep 0.25
  done
  tail -n 40 "$logfile" >&2 || true
  die "$name did not answer within ${seconds}s; log: $logfile"
}

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"; }

java_major() {
  java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

# --- fetch from Maven Central ---------------------------------------------

fetch_kafka() {
  local stamp
  stamp=$(cksum <"$HERE/pom.xml" | cut -d' ' -f1)
  [[ -f $KAFKA_JARS/.complete && $(cat "$KAFKA_JARS/.complete") == "$stamp" ]] && return 0
  need mvn "to fetch Kafka from Maven Central"
  local logging=reload4j
  ((KAFKA_MAJOR >= 4)) && logging=log4j2
  log "fetching Apache Kafka $KAFKA_VERSION from Maven Central (first run only)"
  rm -rf "$KAFKA_JARS"
  mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dkafka.logging="$logging" \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_JARS" >"$RUN/mvn.log" 2>&1 ||
    { tail -n 30 "$RUN/mvn.log" >&2; die "mvn could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION"; }
  echo "$stamp" >"$KAFKA_JARS/.complete"
}

fetch_registry() {
  [[ -f $REGISTRY_HOME/.complete ]] && return 0
  need mvn "to fetch Apicurio Registry from Maven Central"
  log "fetching Apicurio Registry $REGISTRY_VERSION from Maven Central (first run only)"
  local download="$BASE/downloads"
  mkdir -p "$download"
  mvn -B -q -f "$HERE/pom.xml" dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all" \
    -DoutputDirectory="$download" >"$RUN/mvn.log" 2>&1 ||
    { tail -n 30 "$RUN/mvn.log" >&2; die "mvn could not fetch io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all"; }
  rm -rf "$REGISTRY_HOME"
  mkdir -p "$REGISTRY_HOME"
  tar xzf "$download/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz" -C "$REGISTRY_HOME"
  rm -f "$download/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  touch "$REGISTRY_HOME/.complete"
}

# --- Kafka -------------------------------------------------------------------

write_kafka_config() {
  cat >"$RUN/server.properties" <<EOF
# Written by scripts/kafka/start.sh; edits are overwritten at the next start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA/logs
# A development broker on a small machine: one replica, few threads and partitions.
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Topics exist only when created (the port's UnknownTopicError depends on it).
auto.create.topics.enable=false
delete.topic.enable=true
# A lone member's first join should not wait 3 s for others.
group.initial.rebalance.delay.ms=0
# Tests and ksqlDB examples use timestamps from 1970: never expire by time.
log.retention.ms=-1
log.retention.check.interval.ms=300000
EOF
  if ((KAFKA_MAJOR >= 4)); then
    cat >"$RUN/log4j2.properties" <<EOF
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.state.name=state.change.logger
logger.state.level=WARN
logger.request.name=kafka.request.logger
logger.request.level=WARN
logger.coord.name=org.apache.kafka.coordinator
logger.coord.level=WARN
logger.log.name=kafka.log
logger.log.level=WARN
logger.storage.name=org.apache.kafka.storage
logger.storage.level=WARN
EOF
  else
    cat >"$RUN/log4j.properties" <<EOF
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.coordinator=WARN
log4j.logger.org.apache.kafka.coordinator=WARN
log4j.logger.kafka.log=WARN
log4j.logger.org.apache.kafka.storage=WARN
log4j.logger.kafka.cluster.Partition=WARN
EOF
  fi
}

kafka_command() { # sets KAFKA_CMD: java with the broker's classpath, heap and logging
  local logging
  if ((KAFKA_MAJOR >= 4)); then
    logging="-Dlog4j2.configurationFile=file:$RUN/log4j2.properties"
  else
    logging="-Dlog4j.configuration=file:$RUN/log4j.properties"
  fi
  # shellcheck disable=SC2206
  KAFKA_CMD=(java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    "$logging" -Dkafka.logs.dir="$RUN" -cp "$KAFKA_JARS/*")
}

# Run a command detached (its own session, so it outlives this shell and its
# process group), logging to $2; the pid of the command itself goes to $1.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  local i
  for ((i = 0; i < 40; i++)); do [[ -s $pidfile ]] && return 0; sleep 0.05; done
}

start_kafka() {
  pid_alive "$RUN/kafka.pid" && die "a Kafka started here is running (pid $(cat "$RUN/kafka.pid")) but does not answer on $HOST:$KAFKA_PORT; run scripts/kafka/stop.sh"
  port_taken "$KAFKA_PORT" && die "$HOST:$KAFKA_PORT is taken by something that is not a Kafka broker"
  port_taken "$CONTROLLER_PORT" && die "$HOST:$CONTROLLER_PORT (controller listener) is taken; set KSQLITE_KAFKA_CONTROLLER_PORT"
  need java "Kafka runs on Java 17"
  fetch_kafka
  write_kafka_config
  kafka_command
  if [[ -f $RUN/kafka.log ]]; then mv -f "$RUN/kafka.log" "$RUN/kafka.log.1"; fi
  if [[ ! -f $KAFKA_DATA/logs/meta.properties ]]; then
    log "formatting KRaft storage in $KAFKA_DATA"
    mkdir -p "$KAFKA_DATA"
    local cluster_id
    cluster_id=$("${KAFKA_CMD[@]}" kafka.tools.StorageTool random-uuid 2>>"$RUN/kafka.log" | tail -n 1)
    "${KAFKA_CMD[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$RUN/server.properties" >>"$RUN/kafka.log" 2>&1 ||
      { tail -n 20 "$RUN/kafka.log" >&2; die "formatting KRaft storage failed"; }
  fi
  log "starting Kafka $KAFKA_VERSION on $HOST:$KAFKA_PORT (log: $RUN/kafka.log)"
  spawn "$RUN/kafka.pid" "$RUN/kafka.log" "${KAFKA_CMD[@]}" kafka.Kafka "$RUN/server.properties"
  wait_for Kafka "$RUN/kafka.pid" "$RUN/kafka.log" 120 kafka_answers
}

# --- schema registry ---------------------------------------------------------

start_registry() {
  pid_alive "$RUN/registry.pid" && die "a registry started here is running (pid $(cat "$RUN/registry.pid")) but does not answer at $REGISTRY_URL; run scripts/kafka/stop.sh"
  port_taken "$REGISTRY_PORT" && die "$HOST:$REGISTRY_PORT is taken by something that is not a Confluent-compatible registry"
  need java "Apicurio Registry runs on Java 17 (3.0.x; 3.1+ needs Java 21)"
  if [[ $REGISTRY_VERSION != 3.0.* ]] && (($(java_major) < 21)); then
    die "Apicurio Registry $REGISTRY_VERSION is built for Java 21, this is Java $(java_major); use KSQLITE_REGISTRY_VERSION=3.0.9"
  fi
  fetch_registry
  local runner
  runner=$(find "$REGISTRY_HOME" -maxdepth 1 \( -name quarkus-run.jar -o -name '*-runner.jar' \) | head -n 1)
  [[ -n $runner ]] || die "no runnable jar in $REGISTRY_HOME"
  mkdir -p "$REGISTRY_DATA"
  if [[ -f $RUN/registry.log ]]; then mv -f "$RUN/registry.log" "$RUN/registry.log.1"; fi
  log "starting Apicurio Registry $REGISTRY_VERSION on $HOST:$REGISTRY_PORT (log: $RUN/registry.log)"
  # Schemas live in an H2 file next to Kafka's data, so ids in Avro records stay valid across restarts.
  # shellcheck disable=SC2086
  spawn "$RUN/registry.pid" "$RUN/registry.log" \
    java $REGISTRY_HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.http.access-log.enabled=false \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    -Dapicurio.datasource.url="jdbc:h2:file:$REGISTRY_DATA/registry;DB_CLOSE_ON_EXIT=FALSE" \
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 \
    -Dapicurio.datasource.jdbc.max-size=20 \
    -Dapicurio.ccompat.max-subjects=100000 \
    -Dapicurio.rest.deletion.artifact.enabled=true \
    -Dapicurio.rest.deletion.artifact-version.enabled=true \
    -Dapicurio.rest.deletion.group.enabled=true \
    -jar "$runner"
  wait_for "Schema registry" "$RUN/registry.pid" "$RUN/registry.log" 120 registry_answers
  # Confluent's default; Apicurio's is NONE.
  if [[ $(http_status "$REGISTRY_URL/config") == 200 ]] && command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 5 -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
      -d '{"compatibility":"BACKWARD"}' "$REGISTRY_URL/config" || true
  fi
}

# --- main --------------------------------------------------------------------

# Client tools the integration tests use as independent clients (best effort).
"$HERE/tools.sh" || true

if kafka_answers; then
  log "Kafka already answers on $HOST:$KAFKA_PORT"
else
  start_kafka
fi

if [[ ${KSQLITE_NO_REGISTRY:-} == 1 ]]; then
  :
elif registry_answers; then
  log "schema registry already answers at $REGISTRY_URL"
else
  start_registry
fi

echo "KSQLITE_BOOTSTRAP_SERVER=$HOST:$KAFKA_PORT"
if [[ ${KSQLITE_NO_REGISTRY:-} == 1 ]]; then
  echo "KSQLITE_SCHEMA_REGISTRY_URL="
else
  echo "KSQLITE_SCHEMA_REGISTRY_URL=$REGISTRY_URL"
fi

#!/usr/bin/env bash
# Runs real message brokers on this machine, without Docker, for the
# integration and interop tests:
#   kafka - Apache Kafka 4.x, single KRaft node (broker + controller),
#           jars resolved from Maven Central
#   sqs   - ElasticMQ (SQS-compatible), jars resolved from Maven Central
#   moto  - moto's server (a second SQS implementation), from PyPI; its
#           virtualenv also gets kafka-python, a peer of the Kafka tests
#   redis - redis-server (Debian package), the idempotency store of the tests,
#           append-only file in the cache folder so that a restart keeps its keys
#
# usage: brokers.sh up|down|status|env [kafka] [sqs|elasticmq] [moto] [redis]
#   up      start the named brokers (default: all), reusing any that already
#           answer on their port; waits until each one really answers
#   down    stop the brokers this script started (by pid file)
#   status  print each broker's state; exits 1 if one of them is not answering
#   env     print `export` lines pointing clients at the brokers
#
# Everything downloaded or written lives in a cache folder outside the repo,
# ${MESSAGE_BUS_CACHE:-$HOME/.cache/nestjs-message-bus}, and is reused by the
# next run. Prerequisites (java 17+, keytool, mvn, python3, curl, kcat) are
# installed by scripts/brokers/install-prereqs.sh; scripts/brokers/smoke.sh
# checks the running brokers with kcat and boto3.
set -euo pipefail

CACHE=${MESSAGE_BUS_CACHE:-$HOME/.cache/nestjs-message-bus}
HOST=127.0.0.1 # every listener binds to loopback only

KAFKA_VERSION=${KAFKA_VERSION:-4.4.0}
ELASTICMQ_VERSION=${ELASTICMQ_VERSION:-1.7.1}
MOTO_VERSION=${MOTO_VERSION:-5.2.5}
# kafka-python, the Python client's Kafka library, as a consumer-group peer in the Kafka
# tests: installed into moto's virtualenv, at the version the Python client runs on.
KAFKA_PYTHON_VERSION=${KAFKA_PYTHON_VERSION:-2.3.0}
# Log4j for Kafka versions whose pom brings none (4.0.x).
LOG4J_FALLBACK_VERSION=2.24.3

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_SASL_PORT=${KAFKA_SASL_PORT:-9094}
KAFKA_SASL_SSL_PORT=${KAFKA_SASL_SSL_PORT:-9095}
SQS_PORT=${SQS_PORT:-9324}
MOTO_PORT=${MOTO_PORT:-9325}
REDIS_PORT=${REDIS_PORT:-6390}

KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}
ELASTICMQ_HEAP_OPTS=${ELASTICMQ_HEAP_OPTS:--Xms64m -Xmx512m}
START_TIMEOUT=${BROKERS_START_TIMEOUT:-120} # seconds, per broker

# Test-only credentials: SASL users on the Kafka SASL listeners.
KAFKA_USER=bus KAFKA_PASSWORD=bus-secret
KAFKA_ADMIN_USER=admin KAFKA_ADMIN_PASSWORD=admin-secret
KEYSTORE_PASSWORD=bus-keystore-secret

SQS_REGION=eu-west-1
SQS_ACCOUNT_ID=000000000000

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
KEYTOOL=${JAVA_HOME:+$JAVA_HOME/bin/}keytool

KAFKA_DIR=$CACHE/kafka
SQS_DIR=$CACHE/elasticmq
MOTO_DIR=$CACHE/moto
MOTO_VENV=$CACHE/moto-venv
REDIS_DIR=$CACHE/redis

say() { printf '[brokers] %s\n' "$*"; }
die() {
  printf '[brokers] ERROR: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------- helpers

# port_open PORT: true when something accepts TCP connections on HOST:PORT.
port_open() {
  # shellcheck disable=SC2016 # $0/$1 expand in the child shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# http_ok URL: true when URL answers with a 2xx status.
http_ok() {
  curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
}

# own_pid PIDFILE MARKER: prints the pid recorded in PIDFILE when that process
# is alive and its command line still contains MARKER (a path unique to the
# broker, so a recycled pid is never mistaken for ours).
own_pid() {
  local pidfile=$1 marker=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# spawn PIDFILE LOGFILE CMD...: starts CMD detached from this script (own
# session, no stdin, no SIGHUP) so that it outlives it. The child writes its
# own pid before exec'ing CMD, so the pid file names the broker process itself.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  # 9>&- : the broker must not inherit (and so hold) the lock taken by `lock`.
  # shellcheck disable=SC2016 # $$/$0/$@ expand in the child shell
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
    >"$logfile" 2>&1 </dev/null 9>&- &
  local _
  for _ in $(seq 50); do
    [ -s "$pidfile" ] && return 0
    sleep 0.1
  done
  die "could not start $1 (no pid file $pidfile)"
}

# lock: serialises `up` and `down`, which several shells (people, test
# runners, CI) may run at once; a second `up` then finds the brokers that the
# first one started and reuses them instead of racing for the same ports.
lock() {
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.brokers.lock"
  flock -n 9 && return 0
  say "waiting for another brokers.sh up/down to finish"
  flock -w 900 9 || die "still locked after 900 s: $CACHE/.brokers.lock"
}

# stop_pid NAME PID: SIGTERM, wait for exit (brokers shut down cleanly), and
# SIGKILL only if it is still there after 60 s.
stop_pid() {
  local name=$1 pid=$2 _
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || {
      say "$name: stopped (pid $pid)"
      return 0
    }
    sleep 0.1
  done
  say "$name: still running after 60 s, killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# fail_start NAME PIDFILE LOG MESSAGE: stops what we just started, shows the
# end of the log and exits non-zero.
fail_start() {
  local name=$1 pidfile=$2 log=$3 msg=$4 pid
  if pid=$(<"$pidfile") && kill -0 "$pid" 2>/dev/null; then
    stop_pid "$name" "$pid"
  fi
  rm -f "$pidfile"
  if [ -f "$log" ]; then
    # The first errors usually say why (e.g. a port in use); stack traces follow.
    printf '[brokers] ---- errors in %s ----\n' "$log" >&2
    grep -E -m 5 'ERROR|FATAL|Caused by|Exception:' "$log" | cut -c1-400 >&2 || true
    printf '[brokers] ---- last lines of %s ----\n' "$log" >&2
    tail -n 10 "$log" | cut -c1-400 >&2 || true
  fi
  die "$name: $msg (see $log)"
}

require_java17() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (run scripts/brokers/install-prereqs.sh)"
  local v
  v=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "Kafka 4.x needs Java 17 or newer; $JAVA is $v (set JAVA_HOME)"
}

# maven_jars DIR POM_DEPENDENCIES: copies the runtime closure of the given
# <dependency> elements into DIR/jars with Maven, from a throwaway pom in DIR.
# A DIR/jars/.complete marker makes later runs skip Maven entirely.
maven_jars() {
  local dir=$1 deps=$2
  [ -f "$dir/jars/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (run scripts/brokers/install-prereqs.sh)"
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/brokers/brokers.sh only to resolve jars; not a build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.nestjs-message-bus</groupId>
  <artifactId>broker-jars</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
$deps
  </dependencies>
</project>
EOF
  say "resolving $(basename "$(dirname "$dir")")/$(basename "$dir") jars with Maven (first run only)"
  rm -rf "$dir/jars.tmp"
  mvn -B -f "$dir/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir/jars.tmp" >"$dir/maven.log" 2>&1 ||
    {
      tail -n 30 "$dir/maven.log" >&2
      die "Maven could not resolve the jars (see $dir/maven.log)"
    }
}

# maven_finish DIR: marks DIR/jars.tmp complete and moves it into place.
maven_finish() {
  local dir=$1
  touch "$dir/jars.tmp/.complete"
  rm -rf "$dir/jars"
  mv "$dir/jars.tmp" "$dir/jars"
}

# ------------------------------------------------------------------ kafka

KAFKA_HOME=$KAFKA_DIR/$KAFKA_VERSION # jars for one Kafka version
KAFKA_PID=$KAFKA_DIR/kafka.pid
KAFKA_LOGS=$KAFKA_DIR/logs
KAFKA_CONF=$KAFKA_DIR/server.properties
KAFKA_DATA=$KAFKA_DIR/data

kafka_jars() {
  [ -f "$KAFKA_HOME/jars/.complete" ] && return 0
  maven_jars "$KAFKA_HOME" "    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>"
  # Kafka 4.x logs through Log4j 2, but its published pom lacks the SLF4J
  # binding (4.4 brings log4j-core and slf4j-api, 4.0 only slf4j-api; the
  # binary tarball ships the rest): without it Kafka would log nothing. Add
  # what is missing, at the log4j-core version Kafka brings if it brings one.
  local jars=$KAFKA_HOME/jars.tmp log4j slf4j bridge artifacts=() a
  log4j=$(find "$jars" -name 'log4j-core-*.jar' -printf '%f\n' | sed 's/^log4j-core-\(.*\)\.jar$/\1/')
  slf4j=$(find "$jars" -name 'slf4j-api-*.jar' -printf '%f\n' | sed 's/^slf4j-api-\(.*\)\.jar$/\1/')
  if [ -z "$slf4j" ]; then
    die "kafka $KAFKA_VERSION: no slf4j-api among its jars"
  fi
  if [ -z "$log4j" ]; then
    log4j=$LOG4J_FALLBACK_VERSION
    artifacts+=(log4j-api log4j-core)
  fi
  case $slf4j in
  1.*) bridge="log4j-slf4j-impl" ;;
  *) bridge="log4j-slf4j2-impl" ;;
  esac
  find "$jars" -name "$bridge-*.jar" | grep -q . || artifacts+=("$bridge")
  for a in "${artifacts[@]}"; do
    mvn -B -f "$KAFKA_HOME/pom.xml" dependency:copy \
      -Dartifact="org.apache.logging.log4j:$a:$log4j" \
      -DoutputDirectory="$jars" >>"$KAFKA_HOME/maven.log" 2>&1 ||
      die "Maven could not fetch $a $log4j (see $KAFKA_HOME/maven.log)"
  done
  # Both entry points this script uses must be there.
  local main
  main=$(find "$jars" -name "kafka_2.13-$KAFKA_VERSION.jar")
  for cls in kafka/Kafka.class kafka/tools/StorageTool.class; do
    unzip -l "$main" "$cls" >/dev/null 2>&1 || die "kafka $KAFKA_VERSION: $cls missing from $main"
  done
  maven_finish "$KAFKA_HOME"
}

# A private CA and a server certificate signed by it, for the SASL_SSL
# listener. Clients trust $KAFKA_DIR/ca.pem. The SAN covers both names a
# client may dial.
kafka_tls() {
  local tls=$KAFKA_DIR/tls
  [ -f "$tls/server.p12" ] && [ -f "$KAFKA_DIR/ca.pem" ] && return 0
  command -v "$KEYTOOL" >/dev/null 2>&1 || die "keytool not found (install a JDK)"
  say "kafka: creating a self-signed CA and server certificate (first run only)"
  rm -rf "$tls.tmp"
  mkdir -p "$tls.tmp"
  local p=$KEYSTORE_PASSWORD d=$tls.tmp
  local kt=("$KEYTOOL" -noprompt -storetype PKCS12 -storepass "$p")
  "${kt[@]}" -genkeypair -keystore "$d/ca.p12" -alias ca -keyalg RSA -keysize 2048 \
    -validity 3650 -dname 'CN=nestjs-message-bus test CA' -ext bc:c >/dev/null 2>&1
  "${kt[@]}" -exportcert -keystore "$d/ca.p12" -alias ca -rfc -file "$d/ca.pem" >/dev/null 2>&1
  "${kt[@]}" -genkeypair -keystore "$d/server.p12" -alias kafka -keyalg RSA -keysize 2048 \
    -validity 3650 -dname 'CN=localhost' >/dev/null 2>&1
  "${kt[@]}" -certreq -keystore "$d/server.p12" -alias kafka -file "$d/server.csr" >/dev/null 2>&1
  "${kt[@]}" -gencert -keystore "$d/ca.p12" -alias ca -infile "$d/server.csr" \
    -outfile "$d/server.pem" -rfc -validity 3650 \
    -ext SAN=IP:127.0.0.1,DNS:localhost -ext KU=digitalSignature,keyEncipherment \
    -ext EKU=serverAuth >/dev/null 2>&1
  # The keystore must hold the CA before it accepts the signed reply.
  "${kt[@]}" -importcert -keystore "$d/server.p12" -alias ca -file "$d/ca.pem" >/dev/null 2>&1
  "${kt[@]}" -importcert -keystore "$d/server.p12" -alias kafka -file "$d/server.pem" >/dev/null 2>&1 ||
    die "keytool could not build the Kafka keystore"
  rm -rf "$tls"
  mv "$d" "$tls"
  cp "$tls/ca.pem" "$KAFKA_DIR/ca.pem"
}

kafka_config() {
  mkdir -p "$KAFKA_LOGS"
  local jaas_plain="org.apache.kafka.common.security.plain.PlainLoginModule required \
username=\"$KAFKA_ADMIN_USER\" password=\"$KAFKA_ADMIN_PASSWORD\" \
user_$KAFKA_ADMIN_USER=\"$KAFKA_ADMIN_PASSWORD\" user_$KAFKA_USER=\"$KAFKA_PASSWORD\";"
  # SCRAM users live in the cluster metadata (added when storage is formatted);
  # the login module only has to be declared per listener and mechanism.
  local jaas_scram='org.apache.kafka.common.security.scram.ScramLoginModule required;'
  local l m
  {
    echo "# Written by scripts/brokers/brokers.sh on each start; edits are lost."
    echo "process.roles=broker,controller"
    echo "node.id=1"
    # A static quorum keeps the formatted storage valid if ports change.
    echo "controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT"
    echo "controller.listener.names=CONTROLLER"
    echo "listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://$HOST:$KAFKA_SASL_PORT,SASL_SSL://$HOST:$KAFKA_SASL_SSL_PORT"
    echo "advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT,SASL_PLAINTEXT://$HOST:$KAFKA_SASL_PORT,SASL_SSL://$HOST:$KAFKA_SASL_SSL_PORT"
    echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL"
    echo "inter.broker.listener.name=PLAINTEXT"
    echo "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
    for l in sasl_plaintext sasl_ssl; do
      echo "listener.name.$l.plain.sasl.jaas.config=$jaas_plain"
      for m in scram-sha-256 scram-sha-512; do
        echo "listener.name.$l.$m.sasl.jaas.config=$jaas_scram"
      done
    done
    echo "ssl.keystore.type=PKCS12"
    echo "ssl.keystore.location=$KAFKA_DIR/tls/server.p12"
    echo "ssl.keystore.password=$KEYSTORE_PASSWORD"
    echo "ssl.key.password=$KEYSTORE_PASSWORD"
    echo "ssl.client.auth=none"
    echo "log.dirs=$KAFKA_DATA"
    echo "num.partitions=3"
    echo "auto.create.topics.enable=true"
    echo "default.replication.factor=1"
    # A single node cannot host the default 3 replicas of internal topics.
    echo "offsets.topic.replication.factor=1"
    echo "transaction.state.log.replication.factor=1"
    echo "transaction.state.log.min.isr=1"
    echo "share.coordinator.state.topic.replication.factor=1"
    echo "share.coordinator.state.topic.min.isr=1"
    # Tests join groups constantly; don't wait 3 s for more members.
    echo "group.initial.rebalance.delay.ms=0"
  } >"$KAFKA_CONF"

  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
# Written by scripts/brokers/brokers.sh. The broker logs to
# \${sys:kafka.logs.dir}/server.log, the storage tool to storage-tool.log.
name = kafka
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = \${sys:kafka.logs.dir}/\${sys:kafka.log.name}.log
appender.file.filePattern = \${sys:kafka.logs.dir}/\${sys:kafka.log.name}.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
# brokers.sh waits for KafkaRaftServer's "Kafka Server started" line: keep INFO.
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
}

# kafka_cmd LOG_NAME MAIN_CLASS ARG...: sets KAFKA_CMD to the java command
# line that runs MAIN_CLASS from the resolved jars, logging to LOG_NAME.log.
kafka_cmd() {
  local log_name=$1
  shift
  # shellcheck disable=SC2206 # the heap options are a word list on purpose
  KAFKA_CMD=("$JAVA" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties"
    "-Dkafka.logs.dir=$KAFKA_LOGS" "-Dkafka.log.name=$log_name"
    -cp "$KAFKA_HOME/jars/*" "$@")
}

# Format the storage once. SCRAM credentials can only be seeded here in KRaft
# without an admin client; a Kafka version change reformats (test data only).
kafka_format() {
  local stamp=$KAFKA_DIR/data.formatted-by
  if [ -f "$KAFKA_DATA/meta.properties" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$KAFKA_VERSION" ]; then
    return 0
  fi
  if [ -d "$KAFKA_DATA" ]; then
    say "kafka: storage incomplete or formatted by another version ($(cat "$stamp" 2>/dev/null || echo unknown)); reformatting"
    rm -rf "$KAFKA_DATA"
  fi
  local cluster_id scram=() mech
  kafka_cmd storage-tool kafka.tools.StorageTool random-uuid
  cluster_id=$("${KAFKA_CMD[@]}" 2>>"$KAFKA_LOGS/format.log" | tail -n 1)
  for mech in SCRAM-SHA-256 SCRAM-SHA-512; do
    scram+=(--add-scram "$mech=[name=$KAFKA_USER,password=$KAFKA_PASSWORD]")
    scram+=(--add-scram "$mech=[name=$KAFKA_ADMIN_USER,password=$KAFKA_ADMIN_PASSWORD]")
  done
  say "kafka: formatting storage (cluster id $cluster_id)"
  kafka_cmd storage-tool kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF" "${scram[@]}"
  "${KAFKA_CMD[@]}" >>"$KAFKA_LOGS/format.log" 2>&1 ||
    {
      tail -n 20 "$KAFKA_LOGS/format.log" >&2
      die "kafka: formatting the storage failed (see $KAFKA_LOGS/format.log)"
    }
  echo "$KAFKA_VERSION" >"$stamp"
}

# Launches Kafka unless something already answers; sets STARTED_KAFKA=1 when
# kafka_wait has to wait for the process started here.
kafka_start() {
  local pid
  if port_open "$KAFKA_PORT"; then
    if pid=$(own_pid "$KAFKA_PID" "$KAFKA_CONF"); then
      say "kafka: already running (pid $pid), reusing it"
    else
      say "kafka: something already answers on $HOST:$KAFKA_PORT, reusing it"
    fi
    return 0
  fi
  if pid=$(own_pid "$KAFKA_PID" "$KAFKA_CONF"); then
    say "kafka: pid $pid is still starting"
    STARTED_KAFKA=1
    return 0
  fi
  require_java17
  kafka_jars
  kafka_tls
  kafka_config
  kafka_format
  # Keep the previous run's log aside so the wait below only sees this one.
  [ -f "$KAFKA_LOGS/server.log" ] && mv -f "$KAFKA_LOGS/server.log" "$KAFKA_LOGS/server.log.prev"
  say "kafka $KAFKA_VERSION: starting (log: $KAFKA_LOGS/server.log)"
  kafka_cmd server kafka.Kafka "$KAFKA_CONF"
  spawn "$KAFKA_PID" "$KAFKA_LOGS/kafka.out" "${KAFKA_CMD[@]}"
  STARTED_KAFKA=1
}

kafka_wait() {
  [ "${STARTED_KAFKA:-0}" = 1 ] || return 0
  local log=$KAFKA_LOGS/server.log deadline=$((SECONDS + START_TIMEOUT)) pid
  pid=$(<"$KAFKA_PID")
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      [ -s "$log" ] || log=$KAFKA_LOGS/kafka.out
      fail_start kafka "$KAFKA_PID" "$log" "the broker exited while starting"
    fi
    if grep -q 'Kafka Server started' "$log" 2>/dev/null &&
      port_open "$KAFKA_PORT" && port_open "$KAFKA_SASL_PORT" && port_open "$KAFKA_SASL_SSL_PORT"; then
      say "kafka: ready on $HOST:$KAFKA_PORT (PLAINTEXT), $KAFKA_SASL_PORT (SASL_PLAINTEXT), $KAFKA_SASL_SSL_PORT (SASL_SSL)"
      return 0
    fi
    [ $SECONDS -lt $deadline ] || fail_start kafka "$KAFKA_PID" "$log" "not ready after ${START_TIMEOUT}s"
    sleep 0.5
  done
}

# -------------------------------------------------------------- elasticmq

SQS_HOME=$SQS_DIR/$ELASTICMQ_VERSION
SQS_PID=$SQS_DIR/elasticmq.pid
SQS_CONF=$SQS_DIR/elasticmq.conf
SQS_LOG=$SQS_DIR/elasticmq.log
SQS_URL=http://$HOST:$SQS_PORT

sqs_answers() { http_ok "$SQS_URL/?Action=ListQueues"; }

sqs_start() {
  local pid
  if sqs_answers; then
    if pid=$(own_pid "$SQS_PID" "$SQS_CONF"); then
      say "sqs (elasticmq): already running (pid $pid), reusing it"
    else
      say "sqs (elasticmq): something already answers on $SQS_URL, reusing it"
    fi
    return 0
  fi
  if pid=$(own_pid "$SQS_PID" "$SQS_CONF"); then
    say "sqs (elasticmq): pid $pid is still starting"
    STARTED_SQS=1
    return 0
  fi
  require_java17
  if [ ! -f "$SQS_HOME/jars/.complete" ]; then
    maven_jars "$SQS_HOME" "    <dependency>
      <groupId>org.elasticmq</groupId>
      <artifactId>elasticmq-server_2.13</artifactId>
      <version>$ELASTICMQ_VERSION</version>
    </dependency>"
    maven_finish "$SQS_HOME"
  fi
  cat >"$SQS_CONF" <<EOF
# Written by scripts/brokers/brokers.sh on each start; edits are lost.
include classpath("application.conf")

# The address put into queue URLs.
node-address {
  protocol = http
  host = "$HOST"
  port = $SQS_PORT
  context-path = ""
}
generate-node-address = false

rest-sqs {
  enabled = true
  bind-port = $SQS_PORT
  bind-hostname = "$HOST"
  sqs-limits = strict
}

aws {
  region = $SQS_REGION
  accountId = "$SQS_ACCOUNT_ID"
}
EOF
  [ -f "$SQS_LOG" ] && mv -f "$SQS_LOG" "$SQS_LOG.prev"
  say "sqs (elasticmq $ELASTICMQ_VERSION): starting (log: $SQS_LOG)"
  # shellcheck disable=SC2086
  spawn "$SQS_PID" "$SQS_LOG" "$JAVA" $ELASTICMQ_HEAP_OPTS -Djava.awt.headless=true \
    "-Dconfig.file=$SQS_CONF" -cp "$SQS_HOME/jars/*" org.elasticmq.server.Main
  STARTED_SQS=1
}

sqs_wait() {
  [ "${STARTED_SQS:-0}" = 1 ] || return 0
  local deadline=$((SECONDS + START_TIMEOUT)) pid
  pid=$(<"$SQS_PID")
  while ! sqs_answers; do
    kill -0 "$pid" 2>/dev/null || fail_start "sqs (elasticmq)" "$SQS_PID" "$SQS_LOG" "the server exited while starting"
    [ $SECONDS -lt $deadline ] || fail_start "sqs (elasticmq)" "$SQS_PID" "$SQS_LOG" "not answering after ${START_TIMEOUT}s"
    sleep 0.3
  done
  say "sqs (elasticmq): ready on $SQS_URL"
}

# ------------------------------------------------------------------- moto

MOTO_PID=$MOTO_DIR/moto.pid
MOTO_LOG=$MOTO_DIR/moto.log
MOTO_URL=http://$HOST:$MOTO_PORT

moto_answers() { http_ok "$MOTO_URL/moto-api/data.json"; }

moto_venv_ready() {
  [ -f "$MOTO_VENV/.moto-$MOTO_VERSION" ] &&
    "$MOTO_VENV/bin/python" -c 'import moto, boto3, flask' >/dev/null 2>&1
}

moto_venv() {
  moto_venv_ready && return 0
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null 2>&1 || die "python3 not found (run scripts/brokers/install-prereqs.sh)"
  say "moto: installing moto[server]==$MOTO_VERSION into $MOTO_VENV (first run only)"
  mkdir -p "$MOTO_DIR"
  rm -rf "$MOTO_VENV"
  {
    "$py" -m venv "$MOTO_VENV" &&
      "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  } >"$MOTO_DIR/pip.log" 2>&1 || {
    tail -n 20 "$MOTO_DIR/pip.log" >&2
    die "moto: installing into the virtualenv failed (see $MOTO_DIR/pip.log)"
  }
  touch "$MOTO_VENV/.moto-$MOTO_VERSION"
}

kafka_python_ready() {
  "$MOTO_VENV/bin/python" -c "import sys, kafka; sys.exit(kafka.__version__ != '$KAFKA_PYTHON_VERSION')" >/dev/null 2>&1
}

# Adds kafka-python to moto's virtualenv (made first if missing), leaving moto as it is.
kafka_python() {
  kafka_python_ready && return 0
  [ -x "$MOTO_VENV/bin/pip" ] || moto_venv
  say "kafka-python: installing kafka-python==$KAFKA_PYTHON_VERSION into $MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "kafka-python==$KAFKA_PYTHON_VERSION" \
    >"$MOTO_DIR/pip-kafka-python.log" 2>&1 || {
    tail -n 20 "$MOTO_DIR/pip-kafka-python.log" >&2
    die "kafka-python: installing into the virtualenv failed (see $MOTO_DIR/pip-kafka-python.log)"
  }
}

moto_start() {
  local pid
  if moto_answers; then
    if pid=$(own_pid "$MOTO_PID" "$MOTO_VENV/bin/moto_server"); then
      say "moto: already running (pid $pid), reusing it"
    else
      say "moto: something already answers on $MOTO_URL, reusing it"
    fi
    return 0
  fi
  if pid=$(own_pid "$MOTO_PID" "$MOTO_VENV/bin/moto_server"); then
    say "moto: pid $pid is still starting"
    STARTED_MOTO=1
    return 0
  fi
  moto_venv
  mkdir -p "$MOTO_DIR"
  [ -f "$MOTO_LOG" ] && mv -f "$MOTO_LOG" "$MOTO_LOG.prev"
  say "moto $MOTO_VERSION: starting (log: $MOTO_LOG)"
  spawn "$MOTO_PID" "$MOTO_LOG" "$MOTO_VENV/bin/python" "$MOTO_VENV/bin/moto_server" -H "$HOST" -p "$MOTO_PORT"
  STARTED_MOTO=1
}

moto_wait() {
  [ "${STARTED_MOTO:-0}" = 1 ] || return 0
  local deadline=$((SECONDS + START_TIMEOUT)) pid
  pid=$(<"$MOTO_PID")
  while ! moto_answers; do
    kill -0 "$pid" 2>/dev/null || fail_start moto "$MOTO_PID" "$MOTO_LOG" "the server exited while starting"
    [ $SECONDS -lt $deadline ] || fail_start moto "$MOTO_PID" "$MOTO_LOG" "not answering after ${START_TIMEOUT}s"
    sleep 0.3
  done
  say "moto: ready on $MOTO_URL"
}

# ------------------------------------------------------------------ redis

REDIS_PID=$REDIS_DIR/redis.pid
REDIS_CONF=$REDIS_DIR/redis.conf
REDIS_LOG=$REDIS_DIR/redis.log
REDIS_URL=redis://$HOST:$REDIS_PORT

redis_answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    port_open "$REDIS_PORT"
  fi
}

redis_start() {
  local pid
  if redis_answers; then
    if pid=$(own_pid "$REDIS_PID" "$REDIS_CONF"); then
      say "redis: already running (pid $pid), reusing it"
    else
      say "redis: something already answers on $REDIS_URL, reusing it"
    fi
    return 0
  fi
  if pid=$(own_pid "$REDIS_PID" "$REDIS_CONF"); then
    say "redis: pid $pid is still starting"
    STARTED_REDIS=1
    return 0
  fi
  command -v redis-server >/dev/null 2>&1 ||
    die "redis: redis-server not found; run scripts/brokers/install-prereqs.sh as root"
  mkdir -p "$REDIS_DIR"
  # set-proc-title no: the command line keeps the config path, which own_pid looks for.
  # appendonly: a restarted server keeps its keys (the tests restart it mid-run).
  printf '%s\n' \
    "bind $HOST" \
    "port $REDIS_PORT" \
    "protected-mode yes" \
    "daemonize no" \
    "set-proc-title no" \
    "dir $REDIS_DIR" \
    "appendonly yes" \
    "appendfsync always" \
    'save ""' >"$REDIS_CONF"
  [ -f "$REDIS_LOG" ] && mv -f "$REDIS_LOG" "$REDIS_LOG.prev"
  say "redis: starting on $REDIS_URL (log: $REDIS_LOG)"
  spawn "$REDIS_PID" "$REDIS_LOG" redis-server "$REDIS_CONF"
  STARTED_REDIS=1
}

redis_wait() {
  [ "${STARTED_REDIS:-0}" = 1 ] || return 0
  local deadline=$((SECONDS + START_TIMEOUT)) pid
  pid=$(<"$REDIS_PID")
  while ! redis_answers; do
    kill -0 "$pid" 2>/dev/null || fail_start redis "$REDIS_PID" "$REDIS_LOG" "the server exited while starting"
    [ $SECONDS -lt $deadline ] || fail_start redis "$REDIS_PID" "$REDIS_LOG" "not answering after ${START_TIMEOUT}s"
    sleep 0.2
  done
  say "redis: ready on $REDIS_URL"
}

# --------------------------------------------------------------- commands

# parse_names NAME...: sets WANT_KAFKA / WANT_SQS / WANT_MOTO / WANT_REDIS (default: all).
parse_names() {
  WANT_KAFKA=0 WANT_SQS=0 WANT_MOTO=0 WANT_REDIS=0
  [ $# -gt 0 ] || set -- kafka sqs moto redis
  local n
  for n in "$@"; do
    case $n in
    kafka) WANT_KAFKA=1 ;;
    sqs | elasticmq) WANT_SQS=1 ;;
    moto) WANT_MOTO=1 ;;
    redis) WANT_REDIS=1 ;;
    *) die "unknown broker '$n' (expected: kafka, sqs|elasticmq, moto, redis)" ;;
    esac
  done
}

cmd_up() {
  parse_names "$@"
  lock
  local t0=$SECONDS venv_job=
  # On a cold cache pip fills moto's virtualenv while Maven resolves jars.
  if [ $WANT_MOTO = 1 ] && ! moto_venv_ready && ! moto_answers; then
    moto_venv &
    venv_job=$!
  fi
  # Launch everything first, then wait: the brokers boot in parallel.
  [ $WANT_KAFKA = 0 ] || kafka_start
  [ $WANT_SQS = 0 ] || sqs_start
  [ $WANT_REDIS = 0 ] || redis_start
  if [ -n "$venv_job" ]; then wait "$venv_job" || exit 1; fi
  [ $WANT_KAFKA = 0 ] || kafka_python
  [ $WANT_MOTO = 0 ] || moto_start
  [ $WANT_KAFKA = 0 ] || kafka_wait
  [ $WANT_SQS = 0 ] || sqs_wait
  [ $WANT_MOTO = 0 ] || moto_wait
  [ $WANT_REDIS = 0 ] || redis_wait
  say "up in $((SECONDS - t0))s; client settings: bash scripts/brokers/brokers.sh env"
}

# down_one NAME PIDFILE MARKER PORT
down_one() {
  local name=$1 pidfile=$2 marker=$3 port=$4 pid
  if pid=$(own_pid "$pidfile" "$marker"); then
    say "$name: stopping pid $pid"
    stop_pid "$name" "$pid"
  elif port_open "$port"; then
    say "$name: port $port is answered by a process this script did not start; left alone"
  else
    say "$name: not running"
  fi
  rm -f "$pidfile"
}

cmd_down() {
  parse_names "$@"
  lock
  [ $WANT_KAFKA = 0 ] || down_one kafka "$KAFKA_PID" "$KAFKA_CONF" "$KAFKA_PORT"
  [ $WANT_SQS = 0 ] || down_one "sqs (elasticmq)" "$SQS_PID" "$SQS_CONF" "$SQS_PORT"
  [ $WANT_MOTO = 0 ] || down_one moto "$MOTO_PID" "$MOTO_VENV/bin/moto_server" "$MOTO_PORT"
  [ $WANT_REDIS = 0 ] || down_one redis "$REDIS_PID" "$REDIS_CONF" "$REDIS_PORT"
}

# status_one NAME PIDFILE MARKER ANSWERS_CMD WHERE LOG
status_one() {
  local name=$1 pidfile=$2 marker=$3 answers=$4 where=$5 log=$6 pid up=0
  "$answers" && up=1
  if pid=$(own_pid "$pidfile" "$marker"); then
    if [ $up = 1 ]; then
      say "$name: running, pid $pid, $where (log: $log)"
    else
      say "$name: pid $pid alive but not answering on $where (log: $log)"
      return 1
    fi
  elif [ $up = 1 ]; then
    say "$name: answering on $where (not started by this script)"
  else
    say "$name: stopped"
    return 1
  fi
}

kafka_answers() { port_open "$KAFKA_PORT"; }

cmd_status() {
  parse_names "$@"
  local rc=0
  [ $WANT_KAFKA = 0 ] || status_one kafka "$KAFKA_PID" "$KAFKA_CONF" kafka_answers \
    "$HOST:$KAFKA_PORT/$KAFKA_SASL_PORT/$KAFKA_SASL_SSL_PORT" "$KAFKA_LOGS/server.log" || rc=1
  [ $WANT_SQS = 0 ] || status_one "sqs (elasticmq)" "$SQS_PID" "$SQS_CONF" sqs_answers \
    "$SQS_URL" "$SQS_LOG" || rc=1
  [ $WANT_MOTO = 0 ] || status_one moto "$MOTO_PID" "$MOTO_VENV/bin/moto_server" moto_answers \
    "$MOTO_URL" "$MOTO_LOG" || rc=1
  [ $WANT_REDIS = 0 ] || status_one redis "$REDIS_PID" "$REDIS_CONF" redis_answers \
    "$REDIS_URL" "$REDIS_LOG" || rc=1
  return $rc
}

cmd_env() {
  local kv
  for kv in \
    "KAFKA_BOOTSTRAP_SERVERS=$HOST:$KAFKA_PORT" \
    "KAFKA_SASL_BOOTSTRAP_SERVERS=$HOST:$KAFKA_SASL_PORT" \
    "KAFKA_SASL_SSL_BOOTSTRAP_SERVERS=$HOST:$KAFKA_SASL_SSL_PORT" \
    "KAFKA_SSL_CA_FILE=$KAFKA_DIR/ca.pem" \
    "KAFKA_SASL_USERNAME=$KAFKA_USER" \
    "KAFKA_SASL_PASSWORD=$KAFKA_PASSWORD" \
    "SQS_ENDPOINT=$SQS_URL" \
    "SQS_REGION=$SQS_REGION" \
    "MOTO_SQS_ENDPOINT=$MOTO_URL" \
    "REDIS_URL=$REDIS_URL"; do
    printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
  done
}

usage() {
  sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" >&2
  exit 2
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) cmd_up "$@" ;;
down) cmd_down "$@" ;;
status) cmd_status "$@" ;;
env) cmd_env ;;
*) usage ;;
esac

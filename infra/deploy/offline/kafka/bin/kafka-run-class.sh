#!/usr/bin/env bash
# Runs a main class of the Kafka jars in /opt/kafka/libs: the part of the release's
# kafka-run-class.sh that this image needs, reading the same variables (KAFKA_HEAP_OPTS,
# KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_JMX_OPTS, KAFKA_OPTS, LOG_DIR, CLASSPATH,
# JAVA_HOME) with the same defaults. It logs to the console only and writes no file, so it also
# runs on a read-only root filesystem.
#   kafka-run-class.sh CLASS [ARGS...]
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "USAGE: $0 classname [opts]" >&2
  exit 1
fi
main="$1"
shift
base_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java=java
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
fi

# Each variable holds several options: split on whitespace, as the release's script does.
read -ra heap <<<"${KAFKA_HEAP_OPTS:--Xmx256M}"
read -ra performance <<<"${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
read -ra log4j <<<"${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties}"
read -ra jmx <<<"${KAFKA_JMX_OPTS:-}"
read -ra extra <<<"${KAFKA_OPTS:-}"

exec "$java" "${heap[@]}" "${performance[@]}" "${jmx[@]}" \
  "-Dkafka.logs.dir=${LOG_DIR:-$base_dir/logs}" "${log4j[@]}" "${extra[@]}" \
  -cp "${CLASSPATH:+$CLASSPATH:}$base_dir/libs/*" "$main" "$@"

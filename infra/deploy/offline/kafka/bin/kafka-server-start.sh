#!/usr/bin/env bash
# Starts the broker in the foreground, as the release's script does without -daemon: the server
# log4j configuration and a heap of its own unless KAFKA_LOG4J_OPTS / KAFKA_HEAP_OPTS say otherwise.
# The release's default heap is 1 GB; this image's is 512 MB, enough for a development broker.
#   kafka-server-start.sh server.properties [--override property=value]...
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "USAGE: $0 server.properties [--override property=value]*" >&2
  exit 1
fi
bin_dir="$(dirname "${BASH_SOURCE[0]}")"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$bin_dir/../config/log4j.properties}"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512M -Xms512M}"
exec "$bin_dir/kafka-run-class.sh" kafka.Kafka "$@"

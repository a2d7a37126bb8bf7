#!/usr/bin/env bash
# Prints the records of a topic, as the release's script of that name.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" org.apache.kafka.tools.consumer.ConsoleConsumer "$@"

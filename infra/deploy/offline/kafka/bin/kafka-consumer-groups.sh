#!/usr/bin/env bash
# Lists, describes and resets consumer groups, as the release's script of that name.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@"

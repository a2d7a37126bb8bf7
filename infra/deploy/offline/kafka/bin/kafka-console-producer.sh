#!/usr/bin/env bash
# Writes lines of standard input to a topic, as the release's script of that name.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka.tools.ConsoleProducer "$@"

#!/usr/bin/env bash
# Prints the API versions every broker supports; the compose health check. In 3.9 it is still in the core jar.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka.admin.BrokerApiVersionsCommand "$@"

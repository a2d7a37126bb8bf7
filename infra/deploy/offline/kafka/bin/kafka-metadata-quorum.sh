#!/usr/bin/env bash
# Describes the KRaft quorum, as the release's script of that name.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" org.apache.kafka.tools.MetadataQuorumCommand "$@"

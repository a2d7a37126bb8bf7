#!/usr/bin/env bash
# Formats KRaft storage (format, random-uuid, info), as the release's script of that name.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka.tools.StorageTool "$@"

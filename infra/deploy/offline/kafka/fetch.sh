#!/usr/bin/env bash
# Puts the jars of KAFKA_IMAGE's release into the build context CONTEXT_DIR as libs/, resolved by
# Maven from pom.xml beside this file (the same way the native runner fetches its broker). They are
# kept under .cache/offline-images/kafka, keyed by the pom, so a second build only copies them.
#   infra/deploy/offline/kafka/fetch.sh CONTEXT_DIR
set -euo pipefail
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=SCRIPTDIR/../../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib.sh"

context="${1:?usage: fetch.sh CONTEXT_DIR}"
require mvn "apt-get install maven"
require sha256sum "apt-get install coreutils"

pom="$deploy_dir/offline/kafka/pom.xml"
kafka_version="${KAFKA_IMAGE##*:}"
# The scripts in bin/ name the main classes of 3.9 (several moved to kafka-tools in 4.0).
if ! grep -q "<kafka.version>$kafka_version</kafka.version>" "$pom"; then
  echo "kafka stand-in: $pom is not for Kafka $kafka_version ($KAFKA_IMAGE): update it and bin/" >&2
  exit 1
fi

cache="$repo_root/.cache/offline-images/kafka"
libs="$cache/libs-$kafka_version"
stamp="$libs/.complete"
pom_hash=$(sha256sum "$pom" | cut -d ' ' -f 1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$pom_hash" ]; then
  echo "kafka stand-in: fetching the Kafka $kafka_version jars with Maven" >&2
  rm -rf "$libs" "$libs.partial"
  mkdir -p "$cache"
  mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs.partial"
  echo "$pom_hash" >"$libs.partial/.complete"
  mv "$libs.partial" "$libs"
fi

rm -rf "$context/libs"
mkdir -p "$context/libs"
cp "$libs"/*.jar "$context/libs/"

#!/usr/bin/env bash
# Creates every topic of @shop/contracts allTopics() and its dead-letter twin, once Kafka answers.
# The broker does not auto-create topics, so this one-shot job runs before any service starts.
# The one copy: kustomize makes the Job's ConfigMap from it and Docker Compose mounts it (a test
# keeps the list equal to allTopics()).
set -euo pipefail

bootstrap="${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is required, e.g. kafka:9092}"
partitions="${TOPIC_PARTITIONS:-3}"
kafka_topics=/opt/kafka/bin/kafka-topics.sh

topics=(
  catalog.events.v1
  catalog.events.v1.dlq
  inventory.commands.v1
  inventory.commands.v1.dlq
  inventory.events.v1
  inventory.events.v1.dlq
  inventory.stock-levels.v1
  inventory.stock-levels.v1.dlq
  payment.commands.v1
  payment.commands.v1.dlq
  payment.events.v1
  payment.events.v1.dlq
  order.events.v1
  order.events.v1.dlq
  identity.events.v1
  identity.events.v1.dlq
)

for attempt in $(seq 1 60); do
  if "$kafka_topics" --bootstrap-server "$bootstrap" --list >/dev/null 2>&1; then
    break
  fi
  if [ "$attempt" -eq 60 ]; then
    echo "Kafka at $bootstrap did not answer" >&2
    exit 1
  fi
  sleep 2
done

for topic in "${topics[@]}"; do
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done
echo "topics ready: ${#topics[@]}"

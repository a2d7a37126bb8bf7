import type { KafkaMessage } from 'kafkajs';
import type { OutgoingMessage } from './kafka';
import { dlqTopic } from '@shop/contracts';

export type DeadLetterReason = 'no-value' | 'invalid-json' | 'invalid-message' | 'handler-failed';

export interface DeadLetterCause {
  reason: DeadLetterReason;
  error: string;
  attempts: number;
}

export interface Origin {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumer: string;
}

/**
 * The original key and value, byte for byte, so the message can be replayed once fixed; the
 * original headers (traceparent among them) plus `dlq-*` headers saying what went wrong where.
 */
export function deadLetterOf(origin: Origin, cause: DeadLetterCause): OutgoingMessage {
  return {
    topic: dlqTopic(origin.topic),
    key: origin.message.key,
    value: origin.message.value,
    headers: {
      ...headersOf(origin.message),
      'dlq-reason': cause.reason,
      'dlq-error': cause.error.slice(0, 4_000),
      'dlq-attempts': String(cause.attempts),
      'dlq-original-topic': origin.topic,
      'dlq-original-partition': String(origin.partition),
      'dlq-original-offset': origin.message.offset,
      'dlq-consumer': origin.consumer,
      'dlq-failed-at': new Date().toISOString(),
    },
  };
}

export function headersOf(message: KafkaMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = last.toString();
  }
  return headers;
}

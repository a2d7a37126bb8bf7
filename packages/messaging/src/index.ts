export { createEnvelope } from './envelope';
export type { NewEnvelope, TypedEnvelope } from './envelope';
export type { Envelope } from '@shop/contracts';
export { messagingMigrationsDir } from './migrations';
export { enqueue, enqueueAll, defaultOutboxChannel } from './outbox';
export type { OutboxMessage } from './outbox';
export { outboxWriter } from './outbox-writer';
export type { Cause, OutboxWriter, Outgoing } from './outbox-writer';
export { startOutboxRelay } from './outbox-relay';
export type { OutboxRelay, OutboxRelayOptions } from './outbox-relay';
export { createKafka, createProducer } from './kafka';
export type { KafkaClient, KafkaOptions, MessageProducer, OutgoingMessage } from './kafka';
export { startConsumer, parseContractMessage } from './consumer';
export { postgresInbox, statementInbox } from './inbox';
export type { Inbox, InboxEntry, InboxedStatement } from './inbox';
export type {
  ConsumerOptions,
  Handler,
  Handlers,
  MessageContext,
  Parse,
  ParseResult,
  RunningConsumer,
} from './consumer';
export { createTopicNamespace, deleteTopicNamespace, ensureTopics } from './topics';
export type { TopicSpec } from './topics';
// The consumers' retry backoff; it lives in @shop/postgres beside the worker loop that uses it too.
export { backoffDelay } from '@shop/postgres';
export type { Backoff } from '@shop/postgres';
export { countDeadLetters, readDeadLetters, replayDeadLetter } from './dead-letter-queue';
export { consumerLag } from './consumer-lag';
export type { GroupTopics, TopicLag } from './consumer-lag';
export type { DeadLetter } from './dead-letter-queue';

import { randomUUID } from 'node:crypto';

import type { Topic } from '../topics';
import { z } from '../zod';
import {
  catalogEventsSchema,
  productCreatedMessageSchema,
  productUpdatedMessageSchema,
} from './catalog';
import { identityEventsSchema, userRegisteredMessageSchema } from './identity';
import {
  commitStockMessageSchema,
  inventoryCommandsSchema,
  inventoryEventsSchema,
  inventoryStockLevelsSchema,
  releaseStockMessageSchema,
  reserveStockMessageSchema,
  stockCommittedMessageSchema,
  stockLevelChangedMessageSchema,
  stockReleasedMessageSchema,
  stockReservationFailedMessageSchema,
  stockReservedMessageSchema,
} from './inventory';
import type { CommandType, DomainEventType } from './names';
import {
  orderCancelledMessageSchema,
  orderConfirmedMessageSchema,
  orderEventsSchema,
  orderPlacedMessageSchema,
} from './order';
import {
  authorizePaymentMessageSchema,
  paymentAuthorizedMessageSchema,
  paymentCommandsSchema,
  paymentDeclinedMessageSchema,
  paymentEventsSchema,
  paymentRefundedMessageSchema,
  refundPaymentMessageSchema,
} from './payment';

/** The full envelope schema of each message type, its `type` a literal. */
export const messageSchemas = {
  ProductCreated: productCreatedMessageSchema,
  ProductUpdated: productUpdatedMessageSchema,
  ReserveStock: reserveStockMessageSchema,
  ReleaseStock: releaseStockMessageSchema,
  CommitStock: commitStockMessageSchema,
  StockReserved: stockReservedMessageSchema,
  StockReservationFailed: stockReservationFailedMessageSchema,
  StockReleased: stockReleasedMessageSchema,
  StockCommitted: stockCommittedMessageSchema,
  StockLevelChanged: stockLevelChangedMessageSchema,
  AuthorizePayment: authorizePaymentMessageSchema,
  RefundPayment: refundPaymentMessageSchema,
  PaymentAuthorized: paymentAuthorizedMessageSchema,
  PaymentDeclined: paymentDeclinedMessageSchema,
  PaymentRefunded: paymentRefundedMessageSchema,
  OrderPlaced: orderPlacedMessageSchema,
  OrderConfirmed: orderConfirmedMessageSchema,
  OrderCancelled: orderCancelledMessageSchema,
  UserRegistered: userRegisteredMessageSchema,
} as const satisfies Record<CommandType | DomainEventType, z.ZodType>;

/** Every type name on the wire. Commands share the envelope, so they are included. */
export type MessageType = keyof typeof messageSchemas;
/** Alias of `MessageType`: "event" is the everyday word for any Kafka message here. */
export type EventType = MessageType;
export type MessageOf<T extends MessageType> = z.infer<(typeof messageSchemas)[T]>;
export type PayloadOf<T extends MessageType> = MessageOf<T>['payload'];
export type Message = MessageOf<MessageType>;

/** Per topic, a union discriminated on `type` that admits only that topic's types. */
export const topicSchemas = {
  'catalog.events.v1': catalogEventsSchema,
  'inventory.commands.v1': inventoryCommandsSchema,
  'inventory.events.v1': inventoryEventsSchema,
  'inventory.stock-levels.v1': inventoryStockLevelsSchema,
  'payment.commands.v1': paymentCommandsSchema,
  'payment.events.v1': paymentEventsSchema,
  'order.events.v1': orderEventsSchema,
  'identity.events.v1': identityEventsSchema,
} as const satisfies Record<Topic, z.ZodType>;

export type TopicMessage<T extends Topic> = z.infer<(typeof topicSchemas)[T]>;

export const topicMessageTypes = {
  'catalog.events.v1': ['ProductCreated', 'ProductUpdated'],
  'inventory.commands.v1': ['ReserveStock', 'ReleaseStock', 'CommitStock'],
  'inventory.events.v1': [
    'StockReserved',
    'StockReservationFailed',
    'StockReleased',
    'StockCommitted',
  ],
  'inventory.stock-levels.v1': ['StockLevelChanged'],
  'payment.commands.v1': ['AuthorizePayment', 'RefundPayment'],
  'payment.events.v1': ['PaymentAuthorized', 'PaymentDeclined', 'PaymentRefunded'],
  'order.events.v1': ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'],
  'identity.events.v1': ['UserRegistered'],
} as const satisfies { [T in Topic]: ReadonlyArray<TopicMessage<T>['type']> };

const topicByType = new Map<MessageType, Topic>(
  Object.entries(topicMessageTypes).flatMap(([topic, types]) =>
    types.map((type): [MessageType, Topic] => [type, topic as Topic]),
  ),
);

/** The one topic a message type is published to. */
export function topicOf(type: MessageType): Topic {
  const topic = topicByType.get(type);
  if (topic === undefined) throw new Error(`no topic carries message type "${type}"`);
  return topic;
}

export type ParseMessageResult<T> = z.ZodSafeParseResult<T>;

function failure<T>(message: string, input: unknown): z.ZodSafeParseError<T> {
  const error = new z.ZodError([{ code: 'custom', message, path: [], input }]);
  return { success: false, error: error as z.ZodError<T> };
}

/**
 * Validates a message read from `topic`. Never throws: a Buffer or string is decoded as JSON first,
 * and anything malformed (bad JSON, a type that does not belong on the topic, a bad payload) comes
 * back as `{ success: false, error }` for the consumer to dead-letter.
 */
export function parseMessage<T extends Topic>(
  topic: T,
  value: unknown,
): ParseMessageResult<TopicMessage<T>> {
  const schemas: Partial<Record<string, z.ZodType>> = topicSchemas;
  const schema = schemas[topic];
  if (schema === undefined) return failure(`"${topic}" is not a known topic`, topic);
  const parse = (decoded: unknown) =>
    schema.safeParse(decoded) as ParseMessageResult<TopicMessage<T>>;
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) return parse(value);
  try {
    return parse(JSON.parse(value.toString('utf8')));
  } catch {
    return failure('the message value is not valid JSON', value.toString('utf8'));
  }
}

// Saga traffic is keyed by order, stock and catalog traffic by product, identity by user: the
// aggregate whose messages must stay in order shares one partition.
const partitionKeyFields = {
  ProductCreated: 'productId',
  ProductUpdated: 'productId',
  ReserveStock: 'orderId',
  ReleaseStock: 'orderId',
  CommitStock: 'orderId',
  StockReserved: 'orderId',
  StockReservationFailed: 'orderId',
  StockReleased: 'orderId',
  StockCommitted: 'orderId',
  StockLevelChanged: 'productId',
  AuthorizePayment: 'orderId',
  RefundPayment: 'orderId',
  PaymentAuthorized: 'orderId',
  PaymentDeclined: 'orderId',
  PaymentRefunded: 'orderId',
  OrderPlaced: 'orderId',
  OrderConfirmed: 'orderId',
  OrderCancelled: 'orderId',
  UserRegistered: 'userId',
} as const satisfies { [T in MessageType]: keyof PayloadOf<T> };

export function partitionKeyOf(message: Pick<Message, 'type' | 'payload'>): string {
  const field = partitionKeyFields[message.type];
  return (message.payload as Record<string, string>)[field] as string;
}

/** Where a new message comes from and what caused it (messaging's MessageContext is a delivery's). */
export interface MessageOrigin {
  source: string;
  correlationId: string;
  causationId?: string;
  id?: string;
  occurredAt?: Date;
  version?: number;
}

/** Builds and validates a message, so an invalid one fails at its producer, not at a consumer. */
export function createMessage<T extends MessageType>(
  type: T,
  payload: PayloadOf<T>,
  context: MessageOrigin,
): MessageOf<T> {
  const schema: z.ZodType = messageSchemas[type];
  return schema.parse({
    id: context.id ?? randomUUID(),
    type,
    version: context.version ?? 1,
    occurredAt: (context.occurredAt ?? new Date()).toISOString(),
    source: context.source,
    correlationId: context.correlationId,
    ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
    payload,
  }) as MessageOf<T>;
}

import {
  createMessage,
  messageSchemas,
  parseMessage,
  topicMessageTypes,
  topicOf,
  topics,
  type MessageType,
} from '@shop/contracts';

import { envelope, ids, validPayloads } from './message-examples';

const messageTypes = Object.keys(messageSchemas) as MessageType[];

describe('parseMessage', () => {
  test.each(messageTypes)('when a valid %s arrives on its topic, then it parses', (type) => {
    const result = parseMessage(topicOf(type), envelope(type));

    expect(result.error).toBeUndefined();
    expect(result.data?.type).toBe(type);
  });

  test.each(messageTypes)('when a %s has an empty payload, then it is rejected', (type) => {
    const result = parseMessage(topicOf(type), envelope(type, {}));

    expect(result.success).toBe(false);
  });

  test('when a message type arrives on another topic, then it is rejected', () => {
    const result = parseMessage(topics.paymentEvents, envelope('StockReserved'));

    expect(result.success).toBe(false);
  });

  test('when StockLevelChanged arrives on inventory.events.v1, then it is rejected', () => {
    const result = parseMessage(topics.inventoryEvents, envelope('StockLevelChanged'));

    expect(result.success).toBe(false);
  });

  test('when a saga reply arrives on inventory.stock-levels.v1, then it is rejected', () => {
    const result = parseMessage(topics.inventoryStockLevels, envelope('StockReserved'));

    expect(result.success).toBe(false);
  });

  test.each([
    ['not JSON', Buffer.from('{"id":')],
    ['null', null],
    ['a number', 42],
    ['an envelope without an id', { ...envelope('CommitStock'), id: undefined }],
    ['a version 0', { ...envelope('CommitStock'), version: 0 }],
    ['a non-UTC timestamp', { ...envelope('CommitStock'), occurredAt: '31/01/2025' }],
  ])('when the value is %s, then an error comes back instead of a throw', (_label, value) => {
    const result = parseMessage(topics.inventoryCommands, value);

    expect(result.success).toBe(false);
    expect(result.error?.issues.length).toBeGreaterThan(0);
  });

  test('when the value is the JSON of a valid message, then it is decoded and parsed', () => {
    const raw = Buffer.from(JSON.stringify(envelope('PaymentDeclined')));

    const result = parseMessage(topics.paymentEvents, raw);

    expect(result.data?.type).toBe('PaymentDeclined');
  });

  test('when the topic is unknown, then an error comes back', () => {
    const result = parseMessage(
      'nope.events.v1' as typeof topics.orderEvents,
      envelope('OrderPlaced'),
    );

    expect(result.success).toBe(false);
  });

  test('when a payload carries a field it does not know, then it is dropped, not rejected', () => {
    const value = envelope('CommitStock', { orderId: ids.orderId, addedLater: true });

    const result = parseMessage(topics.inventoryCommands, value);

    expect(result.data?.payload).toEqual({ orderId: ids.orderId });
  });
});

describe('payload rules', () => {
  test('when a reservation has no lines, then it is rejected', () => {
    const value = envelope('ReserveStock', { orderId: ids.orderId, lines: [] });

    expect(parseMessage(topics.inventoryCommands, value).success).toBe(false);
  });

  test('when stock levels break available = onHand − reserved, then they are rejected', () => {
    const levels = { ...validPayloads.StockLevelChanged, available: 500 };

    expect(
      parseMessage(topics.inventoryStockLevels, envelope('StockLevelChanged', levels)).success,
    ).toBe(false);
  });

  test('when a release gives EXPIRED as its reason, then only the event accepts it', () => {
    const released = envelope('StockReleased', { orderId: ids.orderId, reason: 'EXPIRED' });
    const release = envelope('ReleaseStock', { orderId: ids.orderId, reason: 'EXPIRED' });

    expect(parseMessage(topics.inventoryEvents, released).success).toBe(true);
    expect(parseMessage(topics.inventoryCommands, release).success).toBe(false);
  });
});

describe('topicMessageTypes', () => {
  test('when every listed type is checked, then its topic union accepts it', () => {
    const listed = Object.entries(topicMessageTypes).flatMap(([topic, types]) =>
      types.map((type) => ({ topic, type })),
    );

    for (const { topic, type } of listed) {
      expect(parseMessage(topic as typeof topics.orderEvents, envelope(type)).success).toBe(true);
    }
    expect(listed.map(({ type }) => type).sort()).toEqual([...messageTypes].sort());
  });
});

describe('createMessage', () => {
  test('when a message is built, then it carries a fresh id, version 1 and the context', () => {
    const message = createMessage(
      'StockCommitted',
      { orderId: ids.orderId },
      {
        source: 'inventory',
        correlationId: ids.orderId,
        causationId: 'c0ffee00-1234-4abc-8def-0123456789ab',
      },
    );

    expect(message).toMatchObject({
      type: 'StockCommitted',
      version: 1,
      source: 'inventory',
      correlationId: ids.orderId,
      payload: { orderId: ids.orderId },
    });
    expect(parseMessage(topics.inventoryEvents, message).success).toBe(true);
  });

  test('when the payload is invalid, then building throws at the producer', () => {
    const build = () =>
      createMessage(
        'StockCommitted',
        { orderId: 'not-a-uuid' },
        { source: 'inventory', correlationId: 'x' },
      );

    expect(build).toThrow();
  });
});

import {
  allTopics,
  dlqTopic,
  isTopic,
  parseMessage,
  partitionKeyOf,
  topicOf,
  topics,
  type MessageType,
} from '@shop/contracts';

import { envelope, ids, validPayloads } from './message-examples';

describe('topics', () => {
  test('when a dead-letter topic is named, then it is the topic with .dlq appended', () => {
    expect(dlqTopic(topics.orderEvents)).toBe('order.events.v1.dlq');
  });

  test('when all topics are listed, then there are the eight and their dead-letter twins', () => {
    const listed = allTopics();

    expect(listed).toHaveLength(16);
    for (const topic of Object.values(topics)) {
      expect(listed).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
    }
  });

  test('when a name is checked, then only the eight topics count as topics', () => {
    expect(isTopic('inventory.events.v1')).toBe(true);
    expect(isTopic('inventory.stock-levels.v1')).toBe(true);
    expect(isTopic('inventory.events.v1.dlq')).toBe(false);
  });

  test('when a type is looked up, then its topic is the one API.md lists', () => {
    expect(topicOf('ReserveStock')).toBe('inventory.commands.v1');
    expect(topicOf('StockReserved')).toBe('inventory.events.v1');
    expect(topicOf('StockLevelChanged')).toBe('inventory.stock-levels.v1');
    expect(topicOf('UserRegistered')).toBe('identity.events.v1');
  });
});

describe('partitionKeyOf', () => {
  const byOrder: MessageType[] = [
    'ReserveStock',
    'ReleaseStock',
    'CommitStock',
    'StockReserved',
    'StockReservationFailed',
    'StockReleased',
    'StockCommitted',
    'AuthorizePayment',
    'RefundPayment',
    'PaymentAuthorized',
    'PaymentDeclined',
    'PaymentRefunded',
    'OrderPlaced',
    'OrderConfirmed',
    'OrderCancelled',
  ];
  const byProduct: MessageType[] = ['ProductCreated', 'ProductUpdated', 'StockLevelChanged'];

  const validMessage = (type: MessageType) => parseMessage(topicOf(type), envelope(type)).data!;

  test.each(byOrder)('when %s is keyed, then the key is the order id', (type) => {
    expect(partitionKeyOf(validMessage(type))).toBe(ids.orderId);
  });

  test.each(byProduct)('when %s is keyed, then the key is the product id', (type) => {
    expect(partitionKeyOf(validMessage(type))).toBe(ids.productId);
  });

  test('when a registration is keyed, then the key is the user id', () => {
    const message = { type: 'UserRegistered' as const, payload: validPayloads.UserRegistered };

    expect(partitionKeyOf(message)).toBe(validPayloads.UserRegistered.userId);
  });
});

import { createMessage, topics, type Message } from '@shop/contracts';
import type { Envelope, Handlers } from '../src';
import { createEnvelope, parseContractMessage } from '../src';

test('when a contract message is read from its topic, then the default parser accepts it', () => {
  const message = createMessage(
    'UserRegistered',
    { userId: '0b8f7a8e-8c4f-4a47-9d0a-3b1f6f1b2c3d', email: 'ada@example.com', name: 'Ada' },
    { source: 'identity', correlationId: 'req-1' },
  );

  const enqueueable: Envelope = message;
  const result = parseContractMessage(
    topics.identityEvents,
    JSON.parse(JSON.stringify(enqueueable)),
  );

  expect(result).toEqual({ success: true, data: message });
});

test('when a message does not belong on the topic, then the default parser reports why without throwing', () => {
  const envelope = createEnvelope({
    type: 'Nonsense',
    source: 't',
    correlationId: 'c',
    payload: {},
  });

  const result = parseContractMessage(topics.identityEvents, envelope);

  expect(result.success).toBe(false);
});

test('when handlers are written for contract types, then each receives its own message type', () => {
  const handlers: Handlers<Message> = {
    UserRegistered: (message) => Promise.resolve(void message.payload.email),
  };

  expect(Object.keys(handlers)).toEqual(['UserRegistered']);
});

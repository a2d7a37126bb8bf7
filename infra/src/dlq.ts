import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { allTopics, createMessage, topics } from '@shop/contracts';
import {
  createKafka,
  createProducer,
  readDeadLetters,
  replayDeadLetter,
  type DeadLetter,
} from '@shop/messaging';
import pino from 'pino';
import { waitUntil } from './processes';
import { ensureInfrastructure } from './stack';

const usage = `usage: shop dlq <command>
  list [topic ...]                    dead letters per topic (all .dlq topics by default)
  show <dlq-topic> <partition:offset> one dead letter: error, headers, the original value
  replay <dlq-topic> <partition:offset> [--value-file F]
                                      put it back on its topic (byte for byte, or corrected)
  demo                                a poison message → DLQ → fixed and replayed, twice (needs npm start)`;

async function kafkaClient() {
  const infra = await ensureInfrastructure({ quiet: true });
  return createKafka({
    brokers: infra.KAFKA_BROKERS!.split(','),
    clientId: 'shop-dlq',
    logger: pino({ level: 'silent' }),
  });
}

function find(letters: DeadLetter[], position: string | undefined): DeadLetter {
  const [partition, offset] = (position ?? '').split(':');
  const letter = letters.find((l) => String(l.partition) === partition && l.offset === offset);
  if (!letter)
    throw new Error(`no dead letter at ${position ?? '(none given)'}: see \`shop dlq list\``);
  return letter;
}

function describe(letter: DeadLetter): string {
  return `${letter.partition}:${letter.offset}  ${letter.reason.padEnd(15)} ${letter.consumer.padEnd(22)} ${letter.failedAt}  ${letter.error.replace(/\s+/g, ' ').slice(0, 120)}`;
}

export async function runDlq(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'list': {
      const kafka = await kafkaClient();
      const dlqs =
        rest.length > 0
          ? rest.map((t) => (t.endsWith('.dlq') ? t : `${t}.dlq`))
          : allTopics().filter((t) => t.endsWith('.dlq'));
      for (const topic of dlqs) {
        const letters = await readDeadLetters(kafka, topic);
        console.log(`${topic}: ${letters.length} dead letter(s)`);
        for (const letter of letters) console.log(`  ${describe(letter)}`);
      }
      return 0;
    }
    case 'show': {
      const letter = find(await readDeadLetters(await kafkaClient(), rest[0] ?? ''), rest[1]);
      console.log(JSON.stringify(letter, null, 2));
      return 0;
    }
    case 'replay': {
      const kafka = await kafkaClient();
      const letter = find(await readDeadLetters(kafka, rest[0] ?? ''), rest[1]);
      const valueFile = rest[rest.indexOf('--value-file') + 1];
      const value =
        rest.includes('--value-file') && valueFile ? fs.readFileSync(valueFile, 'utf8') : undefined;
      await replayDeadLetter(kafka, letter, value === undefined ? {} : { value });
      console.log(
        `replayed ${letter.dlqTopic} ${letter.partition}:${letter.offset} onto ${letter.originalTopic}${value === undefined ? '' : ' (corrected value)'}`,
      );
      return 0;
    }
    case 'demo':
      return poisonDemo();
    default:
      console.error(usage);
      return 2;
  }
}

/**
 * Against the running system (`npm start`): a UserRegistered without its email is dead-lettered
 * by the notification service; an operator reads it, corrects it and replays it; the welcome
 * email goes out once, and replaying the same corrected message again sends nothing more.
 */
async function poisonDemo(): Promise<number> {
  const mailView = `http://127.0.0.1:${process.env.SHOP_SMTP_VIEW_PORT ?? 28026}/messages`;
  const kafka = await kafkaClient();
  const email = `poison-${randomUUID().slice(0, 8)}@shop.test`;
  const fixed = createMessage(
    'UserRegistered',
    { userId: randomUUID(), email, name: 'Pat Poison' },
    { source: 'identity', correlationId: randomUUID() },
  );
  const poison = { ...fixed, payload: { userId: fixed.payload.userId, name: 'Pat Poison' } };
  const dlq = `${topics.identityEvents}.dlq`;
  const emailsTo = async () => {
    const caught = (await (await fetch(mailView)).json()) as { to: string[] }[];
    return caught.filter((message) => message.to.includes(email)).length;
  };

  console.log(
    `1. Publish a UserRegistered with no email to ${topics.identityEvents} (key ${fixed.payload.userId})`,
  );
  const producer = createProducer(kafka);
  await producer.connect();
  await producer.publish([
    { topic: topics.identityEvents, key: fixed.payload.userId, value: JSON.stringify(poison) },
  ]);
  await producer.disconnect();

  console.log(`2. The notification service rejects it: it lands in ${dlq}`);
  let letter: DeadLetter | undefined;
  const landed = await waitUntil(
    async () => {
      letter = (await readDeadLetters(kafka, dlq)).find((l) => l.key === fixed.payload.userId);
      return letter !== undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  if (!landed || !letter)
    throw new Error('the poison message never reached the DLQ: is `npm start` running?');
  console.log(`   ${describe(letter)}`);

  console.log('3. Fix it (add the missing email) and replay it');
  await replayDeadLetter(kafka, letter, { value: JSON.stringify(fixed) });
  const sent = await waitUntil(async () => (await emailsTo()) === 1, {
    timeoutMs: 30_000,
    intervalMs: 500,
  });
  console.log(
    `   welcome emails to ${email}: ${await emailsTo()}${sent ? '' : ' (none yet: is the system running?)'}`,
  );

  console.log(
    '4. Replay the same corrected message again: the inbox knows its id, nothing happens',
  );
  await replayDeadLetter(kafka, letter, { value: JSON.stringify(fixed) });
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const count = await emailsTo();
  console.log(`   welcome emails to ${email}: ${count}`);
  return sent && count === 1 ? 0 : 1;
}

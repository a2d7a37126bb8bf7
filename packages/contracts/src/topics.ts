/** Topic names are `<domain>.<kind>.v<major>`: a breaking change gets a new topic, not a flag. */
export const topics = {
  catalogEvents: 'catalog.events.v1',
  inventoryCommands: 'inventory.commands.v1',
  inventoryEvents: 'inventory.events.v1',
  inventoryStockLevels: 'inventory.stock-levels.v1',
  paymentCommands: 'payment.commands.v1',
  paymentEvents: 'payment.events.v1',
  orderEvents: 'order.events.v1',
  identityEvents: 'identity.events.v1',
} as const;

export type Topic = (typeof topics)[keyof typeof topics];
export type DlqTopic = `${Topic}.dlq`;

/** The dead-letter twin of a topic (API.md: `<topic>.dlq`), namespaced copies included. */
export function dlqTopic<T extends string>(topic: T): `${T}.dlq` {
  return `${topic}.dlq`;
}

export function isTopic(name: string): name is Topic {
  return (Object.values(topics) as string[]).includes(name);
}

/** Every topic the system needs, dead-letter twins included: what an installer must create. */
export function allTopics(): Array<Topic | DlqTopic> {
  return Object.values(topics).flatMap((topic) => [topic, dlqTopic(topic)]);
}

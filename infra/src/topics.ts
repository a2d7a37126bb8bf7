/** Every topic of API.md and its dead-letter twin. */
const domainTopics = [
  'catalog.events.v1',
  'inventory.commands.v1',
  'inventory.events.v1',
  'payment.commands.v1',
  'payment.events.v1',
  'order.events.v1',
  'identity.events.v1',
];

export function requiredTopics(): string[] {
  return domainTopics.flatMap((topic) => [topic, `${topic}.dlq`]);
}

// Written out by hand on purpose: the test checks the running broker against API.md's table,
// not against the same list the runner used to create the topics.
const apiTopics = [
  'catalog.events.v1',
  'inventory.commands.v1',
  'inventory.events.v1',
  'inventory.stock-levels.v1',
  'payment.commands.v1',
  'payment.events.v1',
  'order.events.v1',
  'identity.events.v1',
];

export const requiredTopicsForTest = apiTopics.flatMap((topic) => [topic, `${topic}.dlq`]);

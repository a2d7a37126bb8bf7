import { topics } from '@shop/contracts';
import type { GroupTopics } from '@shop/messaging';

/**
 * Which consumer group reads which topics: fixed knowledge of the system, copied from the
 * `startConsumer` call in each services/<name>/src/service.ts. Each group is named after its
 * service, the default of every service's KAFKA_CONSUMER_GROUP. identity only produces. A
 * service that subscribes to another topic belongs here too, or its lag goes unreported.
 */
export const systemConsumerGroups = (suffix = ''): GroupTopics[] =>
  [
    { group: 'catalog', topics: [topics.inventoryStockLevels] },
    { group: 'inventory', topics: [topics.catalogEvents, topics.inventoryCommands] },
    { group: 'cart', topics: [topics.orderEvents, topics.catalogEvents] },
    { group: 'order', topics: [topics.inventoryEvents, topics.paymentEvents] },
    { group: 'payment', topics: [topics.paymentCommands] },
    { group: 'notification', topics: [topics.identityEvents, topics.orderEvents] },
  ].map(({ group, topics: read }) => ({ group: `${group}${suffix}`, topics: read }));

import { newTopicPrefix } from '@shop/messaging/testing';

export { dropTopicNamespace, newTopicPrefix, topicNamespace } from '@shop/messaging/testing';

/** This test file's private copy of every topic (jest gives each test file its own modules). */
export const topicPrefix = newTopicPrefix();

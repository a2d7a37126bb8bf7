import { allTopics } from '@shop/contracts';

/** Every topic of API.md and its dead-letter twin, as the contracts package names them. */
export function requiredTopics(): string[] {
  return allTopics();
}

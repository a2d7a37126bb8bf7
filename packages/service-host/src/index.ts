export { defineService } from './host';
export type {
  ConsumerTuning,
  Consumption,
  Host,
  HostOptions,
  RunningService,
  Stoppable,
} from './host';
export { runService } from './run';
export {
  databaseServiceSettings,
  databaseSettings,
  defaultConsumerGroup,
  jwtSettings,
  kafkaSettings,
  tokenSettings,
} from './settings';
export type { DatabaseSettings, JwtSettings, KafkaSettings } from './settings';

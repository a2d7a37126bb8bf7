import { ConfigError } from '@shop/service-kit';
import { readConfig } from '../src/config';

const required = {
  DATABASE_URL: 'postgres://inventory:secret@127.0.0.1:5432/inventory',
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9093',
  JWKS_URL: 'http://127.0.0.1:8081/api/auth/jwks.json',
  JWT_ISSUER: 'shop-identity',
  JWT_AUDIENCE: 'shop',
};

describe('readConfig', () => {
  test('when only the required variables are set, then the defaults fill the rest', () => {
    const config = readConfig(required);

    expect(config).toMatchObject({
      SERVICE_NAME: 'inventory',
      PORT: 8085,
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      KAFKA_CONSUMER_GROUP: 'inventory',
      RESERVATION_TTL: 15 * 60_000,
      RESERVATION_SWEEP_INTERVAL: 10_000,
    });
  });

  test('when the reservation timings are given as durations, then they are read as milliseconds', () => {
    const config = readConfig({
      ...required,
      RESERVATION_TTL: '2m',
      RESERVATION_SWEEP_INTERVAL: '500ms',
    });

    expect(config).toMatchObject({ RESERVATION_TTL: 120_000, RESERVATION_SWEEP_INTERVAL: 500 });
  });

  test('when DATABASE_URL is missing and a duration is malformed, then start-up fails naming both', () => {
    const rest: Partial<typeof required> = { ...required };
    delete rest.DATABASE_URL;

    expect(() => readConfig({ ...rest, RESERVATION_TTL: 'soon' })).toThrow(ConfigError);
    expect(() => readConfig({ ...rest, RESERVATION_TTL: 'soon' })).toThrow(
      /DATABASE_URL is required.*RESERVATION_TTL must be a duration|RESERVATION_TTL must be a duration.*DATABASE_URL is required/,
    );
  });
});

import { z } from 'zod';
import { ConfigError, baseConfigSchema, envVar, loadConfig } from '../src';

const schema = baseConfigSchema.extend({
  DATABASE_URL: envVar.url(['postgres', 'postgresql']),
  JWT_PRIVATE_KEY: envVar.secret(),
  REQUEST_TIMEOUT: envVar.durationMs().default(2000),
  DEMO_DATA: envVar.boolean().default(false),
  KAFKA_BROKERS: envVar.list(),
});

const validEnv = {
  SERVICE_NAME: 'catalog',
  PORT: '3001',
  DATABASE_URL: 'postgres://catalog:secret@127.0.0.1:5432/catalog',
  JWT_PRIVATE_KEY: 'key',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
};

function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('when every variable is valid, then it returns them typed, with the defaults filled in', () => {
    const config = loadConfig(schema, { ...validEnv, REQUEST_TIMEOUT: '5s', DEMO_DATA: 'true' });

    expect(config).toEqual({
      NODE_ENV: 'development',
      SERVICE_NAME: 'catalog',
      HOST: '127.0.0.1',
      PORT: 3001,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DATABASE_URL: validEnv.DATABASE_URL,
      JWT_PRIVATE_KEY: 'key',
      REQUEST_TIMEOUT: 5000,
      DEMO_DATA: true,
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
    });
  });

  it('when several variables are missing or bad, then the error names every one of them and why', () => {
    const error = configErrorFor({
      SERVICE_NAME: 'catalog',
      PORT: '70000',
      NODE_ENV: 'staging',
      REQUEST_TIMEOUT: 'soon',
      DEMO_DATA: 'yes',
      DATABASE_URL: 'http://example.com',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });

    expect(error.problems).toEqual(
      expect.arrayContaining([
        'NODE_ENV must be one of development, test, production',
        'PORT must be an integer 1..65535',
        'DATABASE_URL must be a postgres or postgresql URL',
        'JWT_PRIVATE_KEY is required',
        'REQUEST_TIMEOUT must be a duration such as 500, 500ms, 5s, 2m or 1h',
        'DEMO_DATA must be true or false',
      ]),
    );
    expect(error.problems).toHaveLength(6);
    expect(error.message).toMatch(/^Invalid configuration: .*PORT must be an integer 1\.\.65535/);
  });

  it('when a variable is set to the empty string, then it counts as missing', () => {
    const error = configErrorFor({ ...validEnv, JWT_PRIVATE_KEY: '' });

    expect(error.message).toBe('Invalid configuration: JWT_PRIVATE_KEY is required');
  });

  it('when a secret is invalid, then its value never appears in the message', () => {
    const error = configErrorFor({
      ...validEnv,
      PORT: 'hunter2',
      DATABASE_URL: 'not a url hunter2',
    });

    expect(error.message).not.toContain('hunter2');
  });

  it('when the port is not a whole number, then it is refused', () => {
    for (const port of ['0', '3.5', '-1', 'http']) {
      const error = configErrorFor({ ...validEnv, PORT: port });

      expect(error.problems).toEqual(['PORT must be an integer 1..65535']);
    }
  });

  it('when a schema uses a plain zod rule, then its message is still attributed to the variable', () => {
    const custom = z.object({ REGION: z.string().length(2) });

    expect(() => loadConfig(custom, { REGION: 'europe' })).toThrow(
      /^Invalid configuration: REGION: /,
    );
  });
});

describe('KAFKA_TOPIC_PREFIX', () => {
  const schema = z.object({ KAFKA_TOPIC_PREFIX: envVar.topicPrefix() });

  it('when it is not set, then topics are not prefixed', () => {
    expect(loadConfig(schema, {})).toEqual({ KAFKA_TOPIC_PREFIX: '' });
  });

  it('when it does not end with a dot, then start-up stops naming it', () => {
    expect(() => loadConfig(schema, { KAFKA_TOPIC_PREFIX: 'Test' })).toThrow(/KAFKA_TOPIC_PREFIX/);
  });
});

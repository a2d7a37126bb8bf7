import { checkEnvironment, overridesFrom } from '../src/overrides';
import type { ProcessName } from '../src/service-process';

const processes: ProcessName[] = ['identity', 'catalog', 'gateway'];
const gatewayEnv = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWKS_URL: 'http://127.0.0.1:8081/api/auth/jwks.json',
};

describe('settings of npm start from the caller (SHOP_<PROCESS>__<VARIABLE>)', () => {
  test('when a known setting of a process is given, then that process alone gets it', async () => {
    const overrides = await overridesFrom(
      { SHOP_GATEWAY__RATE_LIMIT_AUTH: '100', SHOP_CATALOG__LOG_LEVEL: 'debug', PATH: '/bin' },
      processes,
    );

    expect(overrides).toEqual({
      gateway: { RATE_LIMIT_AUTH: '100' },
      catalog: { LOG_LEVEL: 'debug' },
    });
  });

  test("when the runner's own settings are set, then they are no service's", async () => {
    expect(
      await overridesFrom({ SHOP_PG_PORT: '55433', SHOP_DATA_DIR: '/tmp/x' }, processes),
    ).toEqual({});
  });

  test('when the process is unknown, then the start is refused naming the variable', async () => {
    await expect(overridesFrom({ SHOP_GATEWY__RATE_LIMIT_AUTH: '100' }, processes)).rejects.toThrow(
      /SHOP_GATEWY__RATE_LIMIT_AUTH: no process of that name/,
    );
  });

  test('when the variable is not a setting of that process, then the start is refused naming it', async () => {
    await expect(overridesFrom({ SHOP_GATEWAY__RATE_LIMT_AUTH: '100' }, processes)).rejects.toThrow(
      /SHOP_GATEWAY__RATE_LIMT_AUTH: gateway has no setting RATE_LIMT_AUTH/,
    );
  });

  test('when a value is one the service would refuse, then the check names the variable', async () => {
    await expect(
      checkEnvironment('gateway', { ...gatewayEnv, RATE_LIMIT_AUTH: 'many' }),
    ).rejects.toThrow(/gateway would not start: .*RATE_LIMIT_AUTH/);
    await expect(
      checkEnvironment('gateway', { ...gatewayEnv, RATE_LIMIT_AUTH: '100' }),
    ).resolves.toBeUndefined();
  });
});

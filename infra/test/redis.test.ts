import net from 'node:net';
import Redis from 'ioredis';

describe('Redis', () => {
  test('when a client connects with the configured password, then it answers', async () => {
    const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  test('when a client connects without the password, then it is refused', async () => {
    const url = new URL(process.env.REDIS_URL!);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () =>
        socket.write('PING\r\n'),
      );
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString());
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
  });
});

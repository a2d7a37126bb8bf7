import net from 'node:net';

export interface LatencyProxy {
  /** `http://127.0.0.1:<port>`: what the callers are configured with instead of the upstream. */
  url: string;
  /** The real upstream (`http://host:port`); until it is set, connections are refused by closing. */
  setTarget(url: string): void;
  /** Added before every chunk a caller sends is passed on; 0 restores the plain hop. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/**
 * A TCP hop in front of one upstream that can be made slow. It sits at the TCP level rather than
 * speaking HTTP so that keep-alive connections, breakers and timeouts of the callers meet exactly
 * what they would meet with a slow server: bytes that arrive late. Chunks of one connection are
 * forwarded in order through a promise chain, so a delay never reorders a request's bytes.
 */
export async function startLatencyProxy(): Promise<LatencyProxy> {
  let target: URL | undefined;
  let latencyMs = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: target.hostname, port: Number(target.port) });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    let chain = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      const delay = latencyMs;
      chain = chain.then(async () => {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    client.once('end', () => void chain.then(() => upstream.end()));
    upstream.pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setTarget(url) {
      target = new URL(url);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installWithApt } from './prerequisites';
import { commandExists, waitUntil } from './processes';
import { freePort } from './testbed';

export interface NginxProxy {
  url: string;
  /** nginx's master process (its worker is a child: sample the tree). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * nginx from Debian as a plain reverse proxy in front of one upstream: the yardstick the browse
 * benchmark holds the gateway against (issue 12). One worker, keep-alive to the upstream, an
 * access log like the gateway's request log; everything it writes stays in a temporary folder.
 */
export async function startNginxProxy(
  upstreamUrl: string,
  log: (line: string) => void = console.log,
): Promise<NginxProxy> {
  if (!(await commandExists('nginx'))) {
    if (process.getuid?.() !== 0 || !(await commandExists('apt-get')))
      throw new Error('nginx is missing: install it, e.g. sudo apt-get install -y nginx');
    await installWithApt(['nginx'], log);
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-nginx-'));
  fs.chmodSync(folder, 0o777);
  const port = await freePort();
  const upstream = new URL(upstreamUrl);
  const config = path.join(folder, 'nginx.conf');
  fs.writeFileSync(
    config,
    `worker_processes 1;
daemon off;
pid ${folder}/nginx.pid;
error_log ${folder}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${folder}/access.log;
  client_body_temp_path ${folder}/body;
  proxy_temp_path ${folder}/proxy;
  fastcgi_temp_path ${folder}/fastcgi;
  uwsgi_temp_path ${folder}/uwsgi;
  scgi_temp_path ${folder}/scgi;
  upstream shop_upstream { server ${upstream.host}; keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://shop_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-c', config, '-p', folder, '-e', `${folder}/error.log`], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const answering = await waitUntil(
    async () => (await fetch(`${url}/health/live`).catch(() => undefined)) !== undefined,
    { timeoutMs: 10_000, intervalMs: 100 },
  );
  if (!answering) {
    child.kill('SIGKILL');
    throw new Error(`nginx did not answer: ${fs.readFileSync(`${folder}/error.log`, 'utf8')}`);
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

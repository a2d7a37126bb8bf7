import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChaosRunBodySchema, type ChaosExperiments, type ChaosRun } from '@shop/contracts';
import type { Experiment, NativeFaults } from './experiments/experiment';
import {
  defaultChaosOptions,
  runExperiment,
  type ChaosOptions,
  type ChaosTarget,
} from './run-experiment';
import { hypothesisOf } from './run-experiment';

/**
 * Shorter than `pnpm chaos`: someone is watching the console. Long enough for the map to show the
 * fault and for orders to be caught in it.
 */
export const consoleChaosOptions: Omit<ChaosOptions, 'echo'> = {
  ...defaultChaosOptions,
  faultMs: 10_000,
  warmupMs: 3_000,
  cooldownMs: 3_000,
  shoppers: 6,
};

export interface ChaosControl {
  /** Where the gateway's CHAOS_URL points: loopback only. */
  url: string;
  /** Stops taking requests; a run under way goes on to its end (its fault is restored). */
  close(): Promise<void>;
}

/**
 * The chaos experiments of `pnpm chaos`, run one at a time on request against the system this
 * process runs: what the operations console's Chaos panel drives, through the gateway's admin
 * routes `/api/system/chaos/…` (the gateway forwards to this server only when its CHAOS_URL is
 * set: `SHOP_CHAOS=on npm start`, or a test's bed). Listens on 127.0.0.1 only.
 */
export async function startChaosControl({
  target,
  experiments,
  options = consoleChaosOptions,
  port = 0,
}: {
  target: ChaosTarget<NativeFaults>;
  experiments: readonly Experiment[];
  options?: Omit<ChaosOptions, 'echo'>;
  port?: number;
}): Promise<ChaosControl> {
  let current: ChaosRun | undefined;
  let running: Promise<void> | undefined;

  function start(experiment: Experiment): ChaosRun {
    const started = Date.now();
    const run: ChaosRun = {
      id: randomUUID(),
      experiment: experiment.name,
      fault: experiment.fault(options),
      state: 'running',
      startedAt: new Date(started).toISOString(),
      endedAt: null,
      hypothesis: hypothesisOf({ ...options, echo: () => {} }),
      timeline: [],
      verdicts: [],
    };
    const echo = (line: string) => {
      for (const text of line.split('\n')) {
        // Timeline notes come as "  [  12.3 s] event": the run keeps its own clock.
        const event = text.replace(/^\s*\[\s*[\d.]+ s\]\s*/, '').trim();
        if (event !== '')
          run.timeline.push({ seconds: Math.round((Date.now() - started) / 100) / 10, event });
      }
    };
    running = runExperiment(target, experiment, { ...options, echo })
      .then((report) => {
        run.state = report.passed ? 'passed' : 'failed';
        run.verdicts = report.verdicts.map(({ invariant, holds, figures, violations }) => ({
          invariant,
          holds,
          figures,
          violations,
        }));
      })
      .catch((error: unknown) => {
        run.state = 'error';
        run.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        run.endedAt = new Date().toISOString();
        running = undefined;
      });
    current = run;
    return run;
  }

  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const problem = (status: number, detail: string) => answer(status, { status, detail });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/experiments') {
        const list: ChaosExperiments = {
          items: experiments.map((experiment) => ({
            name: experiment.name,
            fault: experiment.fault(options),
            touchesSharedInfrastructure: experiment.touchesSharedInfrastructure,
          })),
        };
        answer(200, list);
      } else if (req.method === 'GET' && req.url === '/runs/current') {
        if (current) answer(200, current);
        else problem(404, 'no experiment has run yet');
      } else if (req.method === 'POST' && req.url === '/runs') {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          problem(400, 'the body is not JSON');
          return;
        }
        const parsed = startChaosRunBodySchema.safeParse(body);
        const experiment =
          parsed.success && experiments.find((known) => known.name === parsed.data.experiment);
        if (!parsed.success) problem(400, 'the body must be {"experiment": "<name>"}');
        else if (!experiment) problem(404, `no experiment named ${parsed.data.experiment}`);
        else if (running) problem(409, `${current?.experiment ?? 'an experiment'} is running`);
        else answer(202, start(experiment));
      } else {
        problem(404, 'no such chaos route');
      }
    });
  });
  server.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

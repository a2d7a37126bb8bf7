import { startKafka, stopKafka } from '../../kafka';
import { dataDir } from '../../paths';
import { ensureToolchain } from '../../prerequisites';
import { readSettings } from '../../settings';
import { ensureInfrastructure } from '../../stack';
import { holdFor, type Experiment } from './experiment';

/**
 * Stops the broker every process of this machine shares (the infrastructure's own Kafka, with its
 * data folder, so topics and committed offsets survive), keeps it away, and starts it again with
 * the same settings. Outboxes must hold the events meanwhile and the consumers must rejoin.
 * Other test runs on the machine lose their broker too: only `pnpm chaos` runs this.
 */
export const kafkaOutage: Experiment = {
  name: 'kafka-outage',
  fault: ({ faultMs }) =>
    `the shared Kafka broker stopped (SIGTERM) for ${faultMs / 1000} s, then started again`,
  touchesSharedInfrastructure: true,
  async inject({ faultMs, timeline }) {
    const log = (line: string) => timeline.note(`infra: ${line}`);
    const tools = await ensureToolchain(() => {});
    const settings = readSettings();
    await stopKafka(dataDir, log);
    await holdFor(faultMs);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await startKafka(tools, settings, dataDir, log);
        return;
      } catch (error) {
        log(`restart attempt ${attempt} failed: ${(error as Error).message.split('\n')[0]}`);
        if (attempt === 3) break;
        await holdFor(2_000);
      }
    }
    // Never leave the machine without its broker: the full start-up path finds what is missing.
    await ensureInfrastructure({ quiet: true });
    log('kafka restarted through ensureInfrastructure');
  },
};

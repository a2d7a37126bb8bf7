import type { ProcessName } from '../../service-process';
import type { Experiment } from './experiment';

const restartBoundMs = 120_000;

/**
 * SIGKILL a service, the way a node failure or an OOM kill takes a pod, and keep it down for the
 * fault window (its supervisor holds the restart), then let the supervisor start it again. The
 * kill lands on a process that may be mid-transaction, mid-batch or mid-saga.
 */
export function killService(name: ProcessName, role: string): Experiment {
  return {
    name: `kill-${name}`,
    fault: ({ faultMs }) => `SIGKILL ${name} (${role}) and keep it down for ${faultMs / 1000} s`,
    touchesSharedInfrastructure: false,
    async inject({ bed, faultMs, timeline }) {
      const victim = bed.process(name);
      const started = Date.now();
      await bed.suspend(name);
      timeline.note(`SIGKILL ${name} (pid ${victim.pid}); held down`);
      await new Promise((resolve) => setTimeout(resolve, faultMs));
      bed.resume(name);
      timeline.note(`${name} released to its supervisor`);
      const back = await bed.whenBack(name, restartBoundMs);
      timeline.note(
        `${name} is back (pid ${back.pid}), down ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
      );
    },
  };
}

import os from 'node:os';

/**
 * Clean-ups to run when this process is interrupted (Ctrl-C, SIGTERM, the terminal closing) while
 * they are pending: a testbed's scratch databases and private topics above all, which nobody
 * would ever remove otherwise (a development broker once held 192 such partition folders).
 * While one is pending the signals are this module's; a second signal during the clean-up is
 * ignored, as `npm start`'s own stop does, so that an impatient Ctrl-C cannot cut it short.
 * (A process killed outright runs nothing: its services then end by themselves, see
 * `shutDownWhenOrphaned`, but what it created stays.)
 */
/** Ctrl-C, `kill`, and the terminal closing (SIGHUP): what stops a run, here and in `npm start`. */
export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const pending = new Set<() => Promise<void>>();
let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`\n${signal}: stopping what this run started before exiting…\n`);
  void Promise.allSettled([...pending].map((cleanup) => cleanup())).then(() =>
    process.exit(128 + (os.constants.signals[signal] ?? 0)),
  );
}

/**
 * Whether a signal's clean-up is under way: the process then exits when it is done (with 128 +
 * the signal), and whatever failed because of it (a start cut short) is no reason to exit first.
 */
export function interruptInProgress(): boolean {
  return interrupted;
}

/** Runs `cleanup` if the process is interrupted before the returned release is called. */
export function cleanUpOnInterrupt(cleanup: () => Promise<void>): () => void {
  if (pending.size === 0) for (const signal of stopSignals) process.on(signal, onSignal);
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
    if (pending.size === 0 && !interrupted)
      for (const signal of stopSignals) process.off(signal, onSignal);
  };
}

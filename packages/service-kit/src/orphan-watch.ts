/**
 * A service started by a local runner (`npm start`, a testbed, a benchmark) ends when that runner
 * is gone. The runner starts each service in a process group of its own, so that Ctrl-C reaches
 * only the runner, which then stops them in order; but a runner that dies without stopping them
 * (killed, or one whose own signal handling failed) would leave them running for good, consuming
 * a share of the cores and polling their scratch topics. A process whose runner died is adopted
 * by another (init, or a subreaper), so its parent id changes: that is the sign to shut down, the
 * graceful way.
 *
 * The runner passes its pid in `SHOP_RUNNER_PID`; in a container or a pod, where no such runner
 * exists, the variable is unset and nothing is watched.
 */
export function shutDownWhenOrphaned(
  runnerPid: string | undefined,
  shutdown: (reason: string) => unknown,
  {
    intervalMs = 1_000,
    parentPid = () => process.ppid,
  }: { intervalMs?: number; parentPid?: () => number } = {},
): () => void {
  const runner = Number(runnerPid);
  if (!Number.isInteger(runner) || runner <= 0) return () => undefined;
  const timer = setInterval(() => {
    if (parentPid() === runner) return;
    clearInterval(timer);
    void shutdown(`the runner (pid ${runner}) is gone`);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import fs from 'node:fs';

/**
 * The edge's share of the cores when they are all busy.
 *
 * Each service starts in a session of its own (`detached`), and Linux's autogroup scheduler
 * (`/proc/sys/kernel/sched_autogroup_enabled`) gives every session an equal share of a busy
 * machine, whatever its threads' nice values: `nice` only ranks threads inside their session,
 * which is why starting the gateway under `nice -n -10` changed nothing (docs/performance.md).
 * Under overload on two cores the gateway's event loop was runnable all the time and waited
 * ~2.4 ms for a core per ms it ran, and every refusal waited with it. A session's own nice
 * (`/proc/<pid>/autogroup`) weighs the session against the others; −5 gives the gateway about
 * three times an equal share when it wants it, which it does not at rest.
 */
export const edgeAutogroupNice = -5;

/**
 * Sets the session's nice of a process just started in a session of its own. Raising a
 * priority needs CAP_SYS_NICE (root here, not on most laptops) and a kernel with autogroups:
 * where either is missing, the process keeps an equal share and this says so.
 */
export function setAutogroupNice(pid: number, nice: number): { set: boolean; why?: string } {
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return { set: true };
  } catch (error) {
    return { set: false, why: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

import { readFileSync } from 'node:fs';

/**
 * How oneDNN's OpenMP threads wait between primitives, chosen when oneDNN (and with it GNU OpenMP, which reads
 * OMP_WAIT_POLICY once, as it loads) is loaded. By default they spin, which is fastest on cores of their own; on
 * a machine whose cores are all taken, a spinning thread holds a core until its time slice ends and every
 * primitive's barrier waits for the other thread's next slice. Measured on a 2-core AVX-512 machine at a load
 * average of 14, the VAE's plan step (about 40 small primitives) took 70-700 ms spinning and 6-12 ms passive;
 * on the same machine with the run given the cores (SCHED_FIFO) 4.7-5.0 ms spinning and 5.8-6.0 passive. So
 * the threads sleep (passive) when the CPUs are contended: Linux's pressure stall information says some task
 * waited for a CPU for at least half of the last 10 s. An OMP_WAIT_POLICY or GOMP_SPINCOUNT of the user's wins.
 */
export function openMpWaitPolicy(): { passive: boolean; reason: string } {
  if (process.env.OMP_WAIT_POLICY || process.env.GOMP_SPINCOUNT)
    return { passive: process.env.OMP_WAIT_POLICY?.toLowerCase() === 'passive', reason: 'set in the environment' };
  let pressure: number;
  try {
    const some = /^some avg10=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (!some) return { passive: false, reason: 'no CPU pressure figure' };
    pressure = Number(some[1]);
  } catch {
    return { passive: false, reason: 'no CPU pressure figure on this system' };
  }
  return { passive: pressure >= 50, reason: `CPU pressure ${pressure}% over the last 10 s` };
}

/** Runs `load` (which loads oneDNN) with OMP_WAIT_POLICY=passive where openMpWaitPolicy says so, then restores it. */
export function withOpenMpWaitPolicy<T>(load: () => T): T {
  if (process.env.OMP_WAIT_POLICY || process.env.GOMP_SPINCOUNT || !openMpWaitPolicy().passive) return load();
  process.env.OMP_WAIT_POLICY = 'passive';
  try {
    return load();
  } finally {
    // GNU OpenMP has read it; child processes get the environment they were given.
    delete process.env.OMP_WAIT_POLICY;
  }
}

/**
 * One writer per run folder. A new run gets a folder no one else has (runFolder.ts's exclusive mkdir), but
 * an interrupted run can be resumed from two VS Code windows and a command line at once: each would check
 * that the run is interrupted, and both would train into it. The process that resumes a run first claims
 * the folder: writer.lock, created exclusively, holding its pid, kept until the run ends. A claim whose
 * process is gone (killed while resuming) is taken over at once, so a killed resume can be resumed again.
 *
 * Written by hand (30 lines) rather than with proper-lockfile: that library tells a dead claim by its age
 * (refreshed from a timer), so a resume killed a second ago blocks the next for its whole stale period
 * (killResume.test.ts failed on it), while a pid tells it at once. Two processes taking over the same dead
 * claim within the same millisecond could both succeed; status.json (a running run with a live process is
 * never resumed) narrows that further.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/inputError';
import { processAlive } from '../process/processAlive';

const claimFile = (runDir: string) => join(runDir, 'writer.lock');

/** The pid written in `runDir`'s claim, if there is a readable one. */
function holderPid(runDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(claimFile(runDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the live process other than this one that holds `runDir`'s claim, if one does. */
function liveHolder(runDir: string): number | undefined {
  const pid = holderPid(runDir);
  return pid !== undefined && pid !== process.pid && processAlive(pid) ? pid : undefined;
}

function claimedError(runDir: string, pid: number): InputError {
  return new InputError(
    `${runDir} is being resumed by another window or command line (pid ${pid}); wait for that run, or stop it, ` +
      `before resuming it here (if no such process is resuming it, delete ${claimFile(runDir)})`,
  );
}

/** Claims `runDir` for this process; returns the release. Refuses, saying so, when a live writer holds it. */
export function claimRunFolder(runDir: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(claimFile(runDir), 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        if (holderPid(runDir) === process.pid) rmSync(claimFile(runDir), { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new InputError(`cannot claim ${runDir} for resuming: ${(err as Error).message}`);
      const holder = liveHolder(runDir);
      if (holder !== undefined) throw claimedError(runDir, holder);
      rmSync(claimFile(runDir), { force: true }); // a dead writer's (or this process's own leftover) claim
    }
  }
  throw new InputError(`cannot claim ${runDir} for resuming: another process keeps claiming it`);
}

/** Refuses when another live writer holds `runDir` (the early check of a window, before it starts a trainer). */
export function refuseIfClaimed(runDir: string): void {
  const holder = liveHolder(runDir);
  if (holder !== undefined) throw claimedError(runDir, holder);
}

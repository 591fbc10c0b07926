import { appendFileSync, readFileSync } from 'node:fs';
import type { EpochRecord } from '../training/events';
import { runFile } from './runFiles';
import { epochRecordShape } from './runFileReads';
import { FileVersionCache } from './fileVersionCache';

/** Appends one epoch as a JSON line; earlier lines are never rewritten, so a crash loses at most this one. */
export function appendEpochRecord(runDir: string, record: EpochRecord): void {
  appendFileSync(runFile(runDir, 'metrics'), `${JSON.stringify(record)}\n`);
}

/**
 * The per-epoch metrics up to the first line that is not a whole epoch record, and what is wrong with that line.
 * A torn last line (a crash while appending) is expected after a kill; a bad line before others is damage.
 */
export function readEpochLog(runDir: string): { records: EpochRecord[]; problem?: string } {
  let text: string;
  try {
    text = readFileSync(runFile(runDir, 'metrics'), 'utf8');
  } catch {
    return { records: [] };
  }
  const records: EpochRecord[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    let wrong: string | undefined;
    try {
      value = JSON.parse(line);
      wrong = epochRecordShape(value);
    } catch {
      wrong = 'not valid JSON';
    }
    if (!wrong) {
      records.push(value as EpochRecord);
      continue;
    }
    const after = lines.slice(i + 1).filter((l) => l.trim()).length;
    const torn = after === 0 && !text.endsWith('\n') && wrong === 'not valid JSON';
    const problem = torn
      ? `metrics.jsonl: line ${i + 1} is cut short (the run stopped while writing it); it is left out`
      : `metrics.jsonl: line ${i + 1} is ${wrong}; it${after ? ` and the ${after} line(s) after it are` : ' is'} left out`;
    return { records, problem };
  }
  return { records };
}

/** Reads the per-epoch metrics; a torn or damaged line and those after it are left out, not an error. */
export function readEpochRecords(runDir: string): EpochRecord[] {
  return readEpochLog(runDir).records;
}

/** What a listing needs of metrics.jsonl: how many whole epoch records it holds and what is wrong with it. */
export interface EpochLogCheck {
  readonly records: number;
  readonly problem?: string;
}

/** Scans kept per metrics.jsonl: each holds two figures, so a large runs folder costs little memory. */
const scanned = new FileVersionCache<EpochLogCheck>(20000);

/**
 * readEpochLog's verdict on the file, from memory while the file is unchanged: a listing of 1,000 runs would
 * otherwise parse every line of every run's log at each refresh. A live run's appends change its size.
 */
export function checkEpochLog(runDir: string): EpochLogCheck {
  return scanned.get(runFile(runDir, 'metrics'), () => {
    const log = readEpochLog(runDir);
    return log.problem ? { records: log.records.length, problem: log.problem } : { records: log.records.length };
  });
}

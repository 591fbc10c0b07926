import { appendFileSync, readFileSync } from 'node:fs';
import type { EpochRecord } from '../training/events';
import { runFile } from './runFiles';

/** Appends one epoch as a JSON line; earlier lines are never rewritten, so a crash loses at most this one. */
export function appendEpochRecord(runDir: string, record: EpochRecord): void {
  appendFileSync(runFile(runDir, 'metrics'), `${JSON.stringify(record)}\n`);
}

/** Reads the per-epoch metrics; a torn last line (a crash while appending) is ignored, not an error. */
export function readEpochRecords(runDir: string): EpochRecord[] {
  let text: string;
  try {
    text = readFileSync(runFile(runDir, 'metrics'), 'utf8');
  } catch {
    return [];
  }
  const records: EpochRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as EpochRecord);
    } catch {
      break;
    }
  }
  return records;
}

/**
 * What the user says about a run: a name of their own, tags and a note, in the run folder's notes.json.
 * Kept apart from the trainer's files (config, status, summary), which stay the record of what ran; the
 * Runs view, the dashboard's labels and `denoise list` read it.
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../files/atomicWrite';
import { runFile } from './runFiles';

export interface RunNotes {
  /** The run's name as the user put it, shown instead of the experiment's name. */
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly note?: string;
}

/** Bounds on what is kept, so a label or a tree row stays a line (the message limits are far above them). */
export const NOTE_LIMITS = { title: 120, tag: 40, tags: 20, note: 4000 } as const;

const clean = (text: unknown, max: number): string | undefined => {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim().slice(0, max);
  return trimmed || undefined;
};

/** Tags from a typed line ("baseline, lr sweep" or "baseline lr-sweep"): trimmed, without "#", no repeats. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[,\s]+/)
    .map((t) => t.replace(/^#+/, '').trim().slice(0, NOTE_LIMITS.tag))
    .filter(Boolean);
  return [...new Set(tags)].slice(0, NOTE_LIMITS.tags);
}

/** Notes as kept: empty fields dropped, each within its bound. */
export function normaliseNotes(value: unknown): RunNotes {
  const raw = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const tags = Array.isArray(raw.tags) ? parseTags(raw.tags.filter((t) => typeof t === 'string').join(',')) : [];
  const notes: { title?: string; tags?: string[]; note?: string } = {};
  const title = clean(raw.title, NOTE_LIMITS.title);
  const note = clean(raw.note, NOTE_LIMITS.note);
  if (title) notes.title = title;
  if (tags.length) notes.tags = tags;
  if (note) notes.note = note;
  return notes;
}

/** The run's notes; a missing or unreadable notes.json is no notes (it is the user's file, not a record). */
export function readRunNotes(runDir: string): RunNotes {
  try {
    return normaliseNotes(JSON.parse(readFileSync(runFile(runDir, 'notes'), 'utf8')));
  } catch {
    return {};
  }
}

/**
 * Changes some of the run's notes (undefined leaves a field, '' or [] clears it) and writes notes.json
 * atomically: a reader never sees half a file, a crash leaves the old one. Returns the notes as written.
 */
export function updateRunNotes(
  runDir: string,
  change: { title?: string; tags?: readonly string[]; note?: string },
): RunNotes {
  const notes = normaliseNotes({ ...readRunNotes(runDir), ...change });
  writeJsonAtomic(runFile(runDir, 'notes'), notes);
  return notes;
}

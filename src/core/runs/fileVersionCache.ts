import { statSync } from 'node:fs';

/**
 * A file's version as stat sees it. An atomic rewrite (a new file renamed over the old, as every run file
 * but metrics.jsonl is written) changes the inode; an append changes the size; an edit in place changes the
 * modification time (nanoseconds where the file system keeps them). Undefined when the file cannot be stat'ed.
 */
function versionOf(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    return s && `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * Values computed from files (a parsed run file, a scan of metrics.jsonl), kept while the file is unchanged:
 * the extension lists every run folder at each refresh of the Runs view and of the dashboard's run list,
 * and a stat costs far less than reading and parsing the file again. The newest `limit` files are kept.
 * Values are shared between callers, who must not change them.
 */
export class FileVersionCache<T> {
  private readonly entries = new Map<string, { readonly version: string; readonly value: T }>();

  constructor(private readonly limit: number) {}

  /** `compute()`'s value for the file as it is now: computed again whenever the file's version changed. */
  get(path: string, compute: () => T): T {
    // Stat before reading: a file that changes in between is stamped with the older version, so the
    // next call reads it again instead of keeping a value for the wrong version.
    const version = versionOf(path);
    const known = this.entries.get(path);
    this.entries.delete(path);
    if (version === undefined) return compute();
    if (known?.version === version) {
      this.entries.set(path, known);
      return known.value;
    }
    const value = compute();
    this.entries.set(path, { version, value });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}

import type { ApplyState } from './applyService';

/**
 * What the progress notification says ("file 2/5 · tile 3/12") and the share of the whole apply done, 0 to 1.
 * Files are written in order, so the one being denoised is the first not yet written; its tiles count only
 * once the trainer has reported one of them (the previous file's last tile is not this one's).
 */
export function progressOf(state: ApplyState): { message: string; fraction: number } {
  const files = state.files ?? 0;
  if (!files) return { message: 'loading the model…', fraction: 0 };
  const written = Math.min(files, state.outputs.length);
  if (written === files) return { message: `${files}/${files} files written`, fraction: 1 };
  const tile = state.file === written ? state.tile : undefined;
  const tiles = tile && tile.total > 1 ? ` · tile ${tile.done}/${tile.total}` : '';
  const share = tile ? tile.done / tile.total : 0;
  return { message: `file ${written + 1}/${files}${tiles}`, fraction: (written + share) / files };
}

/** What Denoise Image…'s progress notification says as an apply goes, file by file and tile by tile. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressOf } from '../src/extension/host/applyProgressText';

test('the notification counts files and the tiles of the file being denoised', () => {
  assert.deepEqual(progressOf({ outputs: [] }), { message: 'loading the model…', fraction: 0 });
  assert.deepEqual(progressOf({ files: 4, outputs: [] }), { message: 'file 1/4', fraction: 0 });
  assert.deepEqual(progressOf({ files: 4, file: 0, tile: { done: 6, total: 12 }, outputs: [] }), {
    message: 'file 1/4 · tile 6/12',
    fraction: 0.125,
  });
  // The first file is written; the last tile reported was its own, not the second file's.
  assert.deepEqual(progressOf({ files: 4, file: 0, tile: { done: 12, total: 12 }, outputs: ['/o/a.png'] }), {
    message: 'file 2/4',
    fraction: 0.25,
  });
  assert.deepEqual(progressOf({ files: 4, file: 1, tile: { done: 1, total: 1 }, outputs: ['/o/a.png'] }), {
    message: 'file 2/4',
    fraction: 0.5,
  });
  assert.deepEqual(progressOf({ files: 2, file: 1, tile: { done: 3, total: 3 }, outputs: ['/o/a.png', '/o/b.png'] }), {
    message: '2/2 files written',
    fraction: 1,
  });
});

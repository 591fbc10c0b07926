import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../core/config/loadConfig';
import { firstImages } from '../../core/data/imageSet';
import { loadDataset } from '../../core/data/loadDataset';
import { renderImageGrid } from '../../core/images/imageGrid';
import { noisePreview } from '../../core/noise/noisePreview';
import { writeFileAtomic } from '../../core/files/atomicWrite';
import { EXIT } from '../../app/exitCodes';
import { toJsonLine } from './jsonOutput';

export interface PreviewCommandOptions {
  readonly out: string;
  readonly set: string[];
  readonly json: boolean;
  readonly count: number;
}

/**
 * `denoise preview CONFIG --out DIR`: PNGs of clean test images, each noise step alone, and all steps
 * combined (exactly the test set's noise), plus one overview with a column per step. No training.
 */
export async function previewCommand(configPath: string, options: PreviewCommandOptions): Promise<number> {
  const loaded = loadConfig(configPath, options.set);
  const splits = await loadDataset(loaded.config.dataset, loaded.baseDir);
  const entries = noisePreview(firstImages(splits.test, options.count), loaded.config.noise);
  const outDir = resolve(options.out);
  mkdirSync(outDir, { recursive: true });
  const files = entries.map((entry, i) => {
    const file = join(outDir, `${String(i).padStart(2, '0')}-${entry.label}.png`);
    writeFileAtomic(file, renderImageGrid([{ title: entry.label, images: entry.images }]).png);
    return { label: entry.label, detail: entry.detail, file };
  });
  const overview = join(outDir, 'preview.png');
  writeFileAtomic(overview, renderImageGrid(entries.map((e) => ({ title: e.label, images: e.images }))).png);
  if (options.json) process.stdout.write(toJsonLine({ outDir, overview, steps: files }));
  else {
    for (const f of files) process.stdout.write(`${f.label.padEnd(12)} ${f.detail.padEnd(40)} ${f.file}\n`);
    process.stdout.write(`overview     (columns: ${entries.map((e) => e.label).join(' | ')}) ${overview}\n`);
  }
  return EXIT.ok;
}

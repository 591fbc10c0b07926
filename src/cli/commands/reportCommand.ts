import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { firstImages } from '../../core/data/imageSet';
import { loadDataset } from '../../core/data/loadDataset';
import { toBytes } from '../../core/experiment/sampleImages';
import { noisePreview } from '../../core/noise/noisePreview';
import { describeRun, readRunConfig } from '../../core/runs/listRuns';
import { writeFileAtomic } from '../../core/files/atomicWrite';
import { runFile } from '../../core/runs/runFiles';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { noisePreviewMessage } from '../../app/page/noisePreviewMessage';
import { reportHtml, type ReportTheme } from '../../app/page/reportHtml';
import { allEpochSamples, runFolderMessages } from '../../app/page/runFolderMessages';
import { EXIT } from '../../app/exitCodes';
import { toJsonLine } from './jsonOutput';
import { InputError } from '../../core/errors/inputError';

export interface ReportCommandOptions {
  readonly out?: string;
  readonly theme: string;
  readonly json: boolean;
}

/** Test images in the report's noise preview. */
const PREVIEW_IMAGES = 6;

/** The page bundle, next to this CLI bundle in dist/ (or in dist/ of the repository when run from sources). */
function pageBundle(): { script: string; style: string } {
  const candidates = [__dirname, join(__dirname, '..', '..', '..', 'dist')];
  for (const dir of candidates) {
    const script = join(dir, 'webview.js');
    const style = join(dir, 'webview.css');
    if (existsSync(script) && existsSync(style))
      return { script: readFileSync(script, 'utf8'), style: readFileSync(style, 'utf8') };
  }
  throw new Error(
    `the page bundle (webview.js, webview.css) is missing from ${candidates.join(' and ')}; run npm run build`,
  );
}

/** The noise the run was trained with, on a few test images; a dataset that cannot be read leaves a note instead. */
async function previewMessage(runDir: string): Promise<HostToWebview | undefined> {
  const config = readRunConfig(runDir);
  if (!config) return undefined;
  const configFile = runFile(runDir, 'config');
  try {
    const splits = await loadDataset(config.dataset, runDir);
    const images = firstImages(splits.test, PREVIEW_IMAGES);
    const entries = noisePreview(images, config.noise);
    const columns = entries.map((e) => ({ label: e.label, detail: e.detail, pixels: toBytes(e.images.pixels) }));
    const { count, height, width } = images;
    return noisePreviewMessage(configFile, { count, height, width, columns });
  } catch (err) {
    return {
      type: 'noisePreviewError',
      configFile,
      problems: [
        { path: 'dataset', message: `the dataset could not be read for the preview: ${(err as Error).message}` },
      ],
    };
  }
}

/**
 * `denoise report RUN [--out FILE] [--theme dark|light|auto]`: one HTML file with the run's curves, images,
 * table and generation, drawn by the same page as the VS Code dashboard; opens in any browser offline.
 */
export async function reportCommand(run: string, options: ReportCommandOptions): Promise<number> {
  const runDir = resolve(run);
  if (!existsSync(runFile(runDir, 'config')))
    throw new InputError(`${runDir} is not a Denoise Lab run folder (no config.json)`);
  if (!['dark', 'light', 'auto'].includes(options.theme))
    throw new InputError(`--theme must be dark, light or auto, got "${options.theme}"`);
  const out = resolve(options.out ?? join(runDir, 'report.html'));
  const listing = describeRun(runDir);
  const preview = await previewMessage(runDir);
  const problems: string[] = [];
  // The epoch slider's answers go last: the page's host keeps them until the slider asks (webview/host).
  const messages = [...(preview ? [preview] : []), ...runFolderMessages(runDir, problems), ...allEpochSamples(runDir)];
  for (const problem of problems) process.stderr.write(`warning: ${join(runDir, problem)}\n`);
  const html = reportHtml({
    title: `Denoise Lab: ${listing.name}`,
    subtitle:
      `${basename(runDir)} · ${listing.status}${listing.startedAt ? ` · started ${listing.startedAt}` : ''}` +
      (problems.length ? ` · damaged: ${problems.join('; ')}` : ''),
    messages,
    ...pageBundle(),
    theme: options.theme as ReportTheme,
  });
  writeFileAtomic(out, html);
  if (options.json) process.stdout.write(toJsonLine({ report: out, bytes: Buffer.byteLength(html) }));
  else process.stdout.write(`${out}\n`);
  return EXIT.ok;
}

/**
 * PSNR and SSIM of the before/after view's files in a worker thread (dist/compareFiguresWorker.js): SSIM of a
 * 12-megapixel image takes seconds of computation, which on the extension host's own thread would stop every
 * extension for as long. Given the files as workerData, it answers one message: the figures or why not.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compareFigures, readCompareFiles, type CompareFile } from '../../app/page/compareImages';

export interface FiguresJob {
  readonly title: string;
  readonly files: readonly CompareFile[];
}

void (async () => {
  const job = workerData as FiguresJob;
  try {
    const figures = await compareFigures(await readCompareFiles(job.title, job.files));
    parentPort?.postMessage({ ok: true, figures });
  } catch (err) {
    parentPort?.postMessage({ ok: false, message: String((err as Error).message ?? err) });
  }
})();

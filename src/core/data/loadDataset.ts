import * as path from 'node:path';
import type { Dataset } from '../config/experimentConfig.generated';
import { SeededRandom } from '../random/seededRandom';
import { DatasetError } from './datasetError';
import { inputPath, requiredInputPath } from './datasetPaths';
import { attachLabels, readIdxImages, readIdxLabels } from './idx';
import type { DatasetSplits, ImageSet } from './imageSet';
import { loadMnist } from './mnist';
import { assertPixelBudget } from './pixelBudget';
import { listPngFiles, readPngImages } from './pngFolder';
import { loadResizedImageFolder } from './loadImageFolder';
import { checkSplitSizes, cutSplits } from './splitPool';

export { DatasetError } from './datasetError';

const ALL_SPLITS = 'dataset.trainSize + dataset.valSize + dataset.testSize';

/**
 * Loads the images an experiment asks for and splits them into train, validation and test sets, the same
 * way on every machine for a given dataset.splitSeed. Relative paths are taken from baseDir (the folder of
 * the experiment file). Every failure the user can fix is a DatasetError naming the file or field.
 */
export async function loadDataset(dataset: Dataset, baseDir: string): Promise<DatasetSplits> {
  switch (dataset.source) {
    case 'mnist':
      return mnistSplits(dataset);
    case 'idx':
      return idxSplits(dataset, baseDir);
    case 'pngFolder':
      return pngFolderSplits(dataset, baseDir);
    case 'imageFolder':
      // Whole images of one size for dense and vae models; fully convolutional ones use loadImageFolder.
      return loadResizedImageFolder(dataset, baseDir);
  }
}

/** Train and val from the 60,000 training digits, test from the separate 10,000 test digits. */
async function mnistSplits(dataset: Dataset): Promise<DatasetSplits> {
  const mnist = await loadMnist();
  checkSplitSizes(dataset, ['trainSize', 'valSize'], mnist.train.count, 'the MNIST training file');
  checkSplitSizes(dataset, ['testSize'], mnist.test.count, 'the MNIST test file');
  const [train, val] = cutSplits(mnist.train, trainOrder(dataset, mnist.train), [dataset.trainSize, dataset.valSize]);
  const [test] = cutSplits(mnist.test, testOrder(dataset, mnist.test), [dataset.testSize]);
  return { name: 'MNIST', train, val, test };
}

/** Like MNIST when testImages is given; otherwise train, val and test are cut from one shuffled pool. */
async function idxSplits(dataset: Dataset, baseDir: string): Promise<DatasetSplits> {
  const trainFile = await requiredInputPath(dataset, 'trainImages', baseDir, 'file');
  const trainLabelFile = await inputPath(dataset, 'trainLabels', baseDir, 'file');
  const testFile = await inputPath(dataset, 'testImages', baseDir, 'file');
  const testLabelFile = await inputPath(dataset, 'testLabels', baseDir, 'file');
  if (testLabelFile && !testFile) {
    throw new DatasetError(
      'dataset.testLabels is given without dataset.testImages; without a test file the test set is split off ' +
        'trainImages and takes its labels from dataset.trainLabels',
    );
  }
  const name = `IDX ${path.basename(trainFile)}`;
  const pool = await readLabelled(trainFile, trainLabelFile);
  if (!testFile) {
    checkSplitSizes(
      dataset,
      ['trainSize', 'valSize', 'testSize'],
      pool.count,
      trainFile,
      ', or give dataset.testImages',
    );
    assertPixelBudget(totalSize(dataset), pool.height, pool.width, ALL_SPLITS);
    const sizes = [dataset.trainSize, dataset.valSize, dataset.testSize];
    const [train, val, test] = cutSplits(pool, trainOrder(dataset, pool), sizes);
    return { name, train, val, test };
  }
  const testPool = await readLabelled(testFile, testLabelFile);
  if (testPool.height !== pool.height || testPool.width !== pool.width) {
    throw new DatasetError(
      `${testFile}: images are ${testPool.width}x${testPool.height} but those of dataset.trainImages ` +
        `are ${pool.width}x${pool.height}; both files must hold images of the same size`,
    );
  }
  checkSplitSizes(dataset, ['trainSize', 'valSize'], pool.count, trainFile);
  checkSplitSizes(dataset, ['testSize'], testPool.count, testFile);
  assertPixelBudget(totalSize(dataset), pool.height, pool.width, ALL_SPLITS);
  const [train, val] = cutSplits(pool, trainOrder(dataset, pool), [dataset.trainSize, dataset.valSize]);
  const [test] = cutSplits(testPool, testOrder(dataset, testPool), [dataset.testSize]);
  return { name, train, val, test };
}

/**
 * One shuffled pool of files cut into train, val and test. Only the files drawn are decoded, so a large
 * folder costs no more than the images the experiment uses.
 */
async function pngFolderSplits(dataset: Dataset, baseDir: string): Promise<DatasetSplits> {
  const folder = await requiredInputPath(dataset, 'folder', baseDir, 'folder');
  const files = await listPngFiles(folder);
  if (files.length === 0) throw new DatasetError(`dataset.folder: no .png files in ${folder} (searched recursively)`);
  checkSplitSizes(dataset, ['trainSize', 'valSize', 'testSize'], files.length, `the folder ${folder}`);
  assertPixelBudget(totalSize(dataset), dataset.imageSize, dataset.imageSize, ALL_SPLITS);
  const order = new SeededRandom(dataset.splitSeed).permutation(files.length);
  let start = 0;
  const nextSplit = (size: number): Promise<ImageSet> => {
    const picked = Array.from(order.subarray(start, start + size), (i) => files[i]);
    start += size;
    return readPngImages(picked, dataset.imageSize);
  };
  const train = await nextSplit(dataset.trainSize);
  const val = await nextSplit(dataset.valSize);
  const test = await nextSplit(dataset.testSize);
  return { name: `PNG folder ${path.basename(folder)} (${files.length} images)`, train, val, test };
}

async function readLabelled(imageFile: string, labelFile: string | undefined): Promise<ImageSet> {
  const images = await readIdxImages(imageFile);
  return labelFile ? attachLabels(images, await readIdxLabels(labelFile), labelFile) : images;
}

function trainOrder(dataset: Dataset, pool: ImageSet): Uint32Array {
  return new SeededRandom(dataset.splitSeed).permutation(pool.count);
}

/** A stream of its own, so the test draw does not depend on the size of the training file. */
function testOrder(dataset: Dataset, pool: ImageSet): Uint32Array {
  return SeededRandom.derive(dataset.splitSeed, 'test').permutation(pool.count);
}

function totalSize(dataset: Dataset): number {
  return dataset.trainSize + dataset.valSize + dataset.testSize;
}

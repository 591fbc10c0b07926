import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../config/experimentConfig.generated';
import { writeFileAtomic } from '../files/atomicWrite';
import type { Denoiser, ImageShape } from './denoiser';
import { wrapModel } from './wrapModel';
import { wrapVariationalAutoencoder } from './variationalAutoencoder';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function joinWeights(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Saves in the TensorFlow.js layers format (model.json + weights.bin) through a custom handler, since the
 * file:// handler exists only in tfjs-node. weights.bin is written before model.json, both atomically, so a
 * folder whose model.json exists always has the matching weights.
 */
export async function saveDenoiser(denoiser: Denoiser, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await denoiser.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileAtomic(join(dir, WEIGHTS_BIN), joinWeights(artifacts.weightData as ArrayBuffer | ArrayBuffer[]));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
        denoiseLab: {
          kind: denoiser.kind,
          height: denoiser.height,
          width: denoiser.width,
          channels: denoiser.channels,
          description: denoiser.describe(),
        },
      };
      writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Loads a saved model and wraps it as the Denoiser of the configured kind. */
export async function loadDenoiser(dir: string, model: Model, image: ImageShape): Promise<Denoiser> {
  const jsonPath = join(dir, MODEL_JSON);
  if (!existsSync(jsonPath)) throw new Error(`no saved model in ${dir}: the run may not have finished`);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const saved = json.denoiseLab as
    { kind: string; height: number; width: number; channels?: number; description?: string } | undefined;
  if (saved && saved.kind !== model.type) {
    throw new Error(`the model saved in ${dir} is a ${saved.kind} model, but the config asks for ${model.type}`);
  }
  if (saved && (saved.height !== image.height || saved.width !== image.width)) {
    throw new Error(
      `the model saved in ${dir} takes ${saved.width}x${saved.height} images, but the data is ${image.width}x${image.height}`,
    );
  }
  if (saved && (saved.channels ?? 1) !== (image.channels ?? 1)) {
    throw new Error(
      `the model saved in ${dir} takes ${saved.channels ?? 1}-channel images, but the data has ${image.channels ?? 1}`,
    );
  }
  const weights = readFileSync(join(dir, WEIGHTS_BIN));
  const layersModel = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  if (model.type === 'vae') return wrapVariationalAutoencoder(layersModel, model, image, 0);
  // The saved description already ends with the parameter count, which wrapModel appends again.
  const summary = saved?.description?.replace(/, [\d,]+ parameters$/, '') ?? model.type;
  return wrapModel(model.type, layersModel, image, summary);
}

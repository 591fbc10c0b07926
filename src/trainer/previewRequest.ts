import { resolve } from 'node:path';
import { ConfigError } from '../core/config/configError';
import { loadConfig, parseJsonText, resolveConfig, type LoadedConfig } from '../core/config/loadConfig';
import { firstImages } from '../core/data/imageSet';
import { loadDataset } from '../core/data/loadDataset';
import { toBytes } from '../core/experiment/sampleImages';
import { noisePreview } from '../core/noise/noisePreview';
import { EXIT } from '../app/exitCodes';
import type { PreviewRequest, TrainerToHost } from '../protocol/trainerMessages';
import { failureMessage } from './failure';

/** The config to preview: the editor's unsaved text when given, else the file. */
function previewConfig(request: PreviewRequest): LoadedConfig {
  const file = resolve(request.configFile);
  if (request.configText === undefined) return loadConfig(file, request.overrides);
  const parsed = parseJsonText(request.configText);
  if (!parsed.ok) throw new ConfigError(file, [parsed.problem]);
  const { config, problems } = resolveConfig(parsed.value, request.overrides);
  if (!config) throw new ConfigError(file, problems);
  return { file, baseDir: resolve(file, '..'), config };
}

/**
 * Noise preview without training: the first test images clean, after each noise step alone, and with all
 * steps combined. Runs in the trainer process because loading a dataset would stall the extension host.
 */
export async function previewRequest(
  request: PreviewRequest,
  send: (message: TrainerToHost) => Promise<void>,
): Promise<number> {
  try {
    const loaded = previewConfig(request);
    const splits = await loadDataset(loaded.config.dataset, loaded.baseDir);
    const images = firstImages(splits.test, request.count);
    const entries = noisePreview(images, loaded.config.noise);
    await send({
      type: 'preview',
      count: images.count,
      height: images.height,
      width: images.width,
      columns: entries.map((e) => ({ label: e.label, detail: e.detail, pixels: toBytes(e.images.pixels) })),
    });
    return EXIT.ok;
  } catch (err) {
    const { exitCode, message } = failureMessage(err);
    await send(message);
    return exitCode;
  }
}

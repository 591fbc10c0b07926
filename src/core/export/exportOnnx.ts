import { convertLayersModel, type GraphRequest } from './convertLayersModel';
import { ONNX_OPSET } from './onnxGraph';
import type { SavedLayersModel } from './savedLayersModel';

/** What to export: the whole denoiser, or (VAE only) its encoder or decoder alone. */
export type OnnxPart = 'denoiser' | 'encoder' | 'decoder';
export const ONNX_PARTS: readonly OnnxPart[] = ['denoiser', 'encoder', 'decoder'];

export interface OnnxExport {
  readonly bytes: Uint8Array;
  /** For messages and docs: "image [batch, 1, height, width] -> denoised [batch, 1, height, width]". */
  readonly signature: string;
  readonly opset: number;
}

const VAE = { eps: 'eps', z: 'latent_z', mu: 'encoder_mu', sigma: 'encoder_sigma', output: 'decoder_output' } as const;

function requestFor(model: SavedLayersModel, part: OnnxPart, producerVersion: string): GraphRequest {
  const meta = model.denoiseLab;
  if (!meta)
    throw new Error(
      'model.json has no denoiseLab block: export models saved by Denoise Lab runs, or call convertLayersModel',
    );
  const image = { height: meta.height, width: meta.width };
  const docString = `Denoise Lab ${meta.description ?? meta.kind}. Pixels are float32 in [0, 1], NCHW.`;
  const common = { docString, producerVersion };
  const imageInput = { layer: model.inputLayers[0], name: 'image', image };
  if (meta.kind !== 'vae') {
    if (part !== 'denoiser')
      throw new Error(`a ${meta.kind} model has no separate ${part}; --part ${part} is for VAE models`);
    return {
      ...common,
      inputs: [imageInput],
      outputs: [{ layer: model.outputLayers[0], name: 'denoised', image, clip: true }],
    };
  }
  const mu = model.layers.get(VAE.mu);
  const latentSize = Number(mu?.config.units);
  if (!mu || !model.layers.has(VAE.z) || !Number.isInteger(latentSize)) {
    throw new Error(
      'this VAE does not have the layers Denoise Lab builds (encoder_mu, latent_z); it was not saved by Denoise Lab',
    );
  }
  switch (part) {
    // The VAE's own prediction decodes the latent mean: its noise input is zero.
    case 'denoiser':
      return {
        ...common,
        inputs: [imageInput],
        zeros: [{ layer: VAE.eps, size: latentSize }],
        outputs: [{ layer: VAE.output, name: 'denoised', image }],
      };
    case 'encoder':
      return {
        ...common,
        inputs: [imageInput],
        outputs: [
          { layer: VAE.mu, name: 'mu' },
          { layer: VAE.sigma, name: 'sigma' },
        ],
      };
    case 'decoder':
      return {
        ...common,
        inputs: [{ layer: VAE.z, name: 'latent', size: latentSize }],
        outputs: [{ layer: VAE.output, name: 'image', image }],
      };
  }
}

function describeSignature(model: SavedLayersModel, part: OnnxPart, fullyConvolutional: boolean): string {
  const meta = model.denoiseLab!;
  const side = fullyConvolutional ? 'height, width' : `${meta.height}, ${meta.width}`;
  const picture = `[batch, 1, ${side}]`;
  if (part === 'encoder') return `image ${picture} -> mu, sigma [batch, latent]`;
  if (part === 'decoder') return `latent [batch, latent] -> image ${picture}`;
  return `image ${picture} -> denoised ${picture}`;
}

/** An ONNX file (opset ONNX_OPSET) of a model saved by Denoise Lab, or of one of a VAE's halves. */
export function exportOnnx(model: SavedLayersModel, part: OnnxPart, producerVersion: string): OnnxExport {
  const request = requestFor(model, part, producerVersion);
  const { bytes, sizeFree } = convertLayersModel(model, request);
  return { bytes, signature: describeSignature(model, part, sizeFree), opset: ONNX_OPSET };
}

import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { engineBlas } from '../engine/selectEngine';
import { loadOneDnn } from '../engine/onednn/loadOneDnn';
import { lowerLayerGraph } from '../engine/plan/layerGraph';
import { TrainingPlan, type PlanWeight } from '../engine/plan/trainingPlan';
import { klDivergenceLoss } from '../engine/plan/klDivergenceLoss';
import type { StepStrategy } from './stepStrategy';
import { directOptimizer } from './directOptimizer';

/**
 * Training of any model whose layers lower into a oneDNN plan (layerGraph.ts: convolutions, transposed
 * convolutions, max-pooling, concatenation, adds, batch norm, dense layers, products, the activations) with any
 * of the three losses and optimizers, on the wasm-blas engine where oneDNN is installed. The VAE adds its
 * KL term and its noise input, drawn from the model's own seeded stream (Denoiser.latentTraining) as its
 * trainForward draws it, so a resumed run draws the same. Models it cannot lower, and every model without
 * oneDNN (DENOISE_ONEDNN_LIB=none, macOS, Windows), return undefined and train on the tape (with the BLAS's
 * products on wasm-blas).
 */
export function directPlanTraining(denoiser: Denoiser, training: Training): StepStrategy | undefined {
  const blas = engineBlas();
  const { onednn } = loadOneDnn();
  if (!blas || !onednn) return undefined;
  const graph = lowerLayerGraph(denoiser.model);
  if (typeof graph === 'string') return undefined;
  const latent = denoiser.latentTraining;
  // Only a VAE's noise is known as a second input.
  if (graph.inputs.length !== (latent ? 2 : 1)) return undefined;
  const threads = Math.max(1, blas.threads);
  const extra = latent && klDivergenceLoss(latent.klScale, latent.meanOutput, latent.spreadOutput);
  let plan: TrainingPlan;
  try {
    plan = new TrainingPlan(onednn, graph, training.batchSize, threads, { reconstruction: training.loss, extra });
  } catch {
    // oneDNN refused a primitive or nothing is trainable: the tape trains it.
    return undefined;
  }
  const optimizer = directOptimizer(
    training,
    plan.weights.filter((w) => w.gradient.length > 0).map((w) => w.weight.size),
  );
  // The steps read the trained weights from the optimizer's arrays and write the gradients there.
  plan.placeWeights(
    plan.weights
      .filter((w) => w.gradient.length > 0)
      .map((w, i) => ({ weight: w.weight, values: optimizer.weights[i], gradient: optimizer.gradients[i] })),
  );
  const ops = [...new Set(graph.nodes.map((n) => n.op))].join(', ');
  const load = (w: PlanWeight, into: Float32Array) => into.set(w.weight.variable.read().dataSync() as Float32Array);
  return {
    description:
      `${denoiser.kind} ${training.optimizer} steps run directly on a oneDNN ${onednn.version} plan ` +
      `(${ops}; ${[...plan.implementations].join(', ')}, ${threads} threads)`,
    loadWeights() {
      for (const w of plan.weights) load(w, w.values);
    },
    step(x, y, n, learningRate, weights) {
      if (latent) plan.input(1, n).set(latent.drawNoise(n));
      const loss = plan.gradients(x, y, n, weights);
      optimizer.apply(learningRate);
      return loss;
    },
    storeWeights() {
      for (const { weight, values } of plan.weights) {
        // Frozen layers keep theirs; batch norm's moving statistics change in training whatever trains.
        if (!weight.trainable && weight.variable.trainable) continue;
        // A copy: the tensor must not share memory with the buffers the next steps write.
        tf.tidy(() => {
          weight.variable.write(tf.tensor(values.slice(), weight.variable.shape as number[]));
        });
      }
    },
    // Batch norm's moving statistics are model weights (storeWeights writes them), not optimizer state.
    resumeState: () => optimizer.resumeState(),
    restoreState: (state) => optimizer.restoreState(state),
    dispose: () => plan.dispose(),
  };
}

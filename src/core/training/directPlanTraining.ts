import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import type { Denoiser } from '../models/denoiser';
import { engineBlas } from '../engine/selectEngine';
import { loadOneDnn } from '../engine/onednn/loadOneDnn';
import { lowerLayerGraph } from '../engine/plan/layerGraph';
import { TrainingPlan, type PlanWeight } from '../engine/plan/trainingPlan';
import type { StepStrategy } from './stepStrategy';
import { directOptimizer } from './directOptimizer';

/**
 * Training of any model whose layers lower into a oneDNN plan (layerGraph.ts: convolutions, transposed
 * convolutions, max-pooling, concatenation, adds, batch norm, the activations) with any of the three losses
 * and optimizers, on the wasm-blas engine where oneDNN is installed. Models it cannot lower, and every model
 * without oneDNN (DENOISE_ONEDNN_LIB=none, macOS, Windows), return undefined and train on the tape.
 */
export function directPlanTraining(denoiser: Denoiser, training: Training): StepStrategy | undefined {
  const blas = engineBlas();
  const { onednn } = loadOneDnn();
  if (!blas || !onednn) return undefined;
  const graph = lowerLayerGraph(denoiser.model);
  if (typeof graph === 'string') return undefined;
  const threads = Math.max(1, blas.threads);
  let plan: TrainingPlan;
  try {
    plan = new TrainingPlan(onednn, graph, training.batchSize, threads, training.loss);
  } catch {
    // oneDNN refused a primitive or nothing is trainable: the tape trains it.
    return undefined;
  }
  const trained = plan.weights.filter((w) => w.gradient.length > 0);
  const optimizer = directOptimizer(
    training,
    trained.map((w) => w.weight.size),
  );
  const ops = [...new Set(graph.nodes.map((n) => n.op))].join(', ');
  const load = (w: PlanWeight, into: Float32Array) => into.set(w.weight.variable.read().dataSync() as Float32Array);
  return {
    description:
      `${denoiser.kind} ${training.optimizer} steps run directly on a oneDNN ${onednn.version} plan ` +
      `(${ops}; ${[...plan.implementations].join(', ')}, ${threads} threads)`,
    loadWeights() {
      for (const w of plan.weights) load(w, w.values);
      trained.forEach((w, i) => optimizer.weights[i].set(w.values));
    },
    step(x, y, n, learningRate, weights) {
      trained.forEach((w, i) => w.values.set(optimizer.weights[i]));
      const loss = plan.gradients(x, y, n, weights);
      trained.forEach((w, i) => optimizer.gradients[i].set(w.gradient));
      optimizer.apply(learningRate);
      return loss;
    },
    storeWeights() {
      trained.forEach((w, i) => w.values.set(optimizer.weights[i]));
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

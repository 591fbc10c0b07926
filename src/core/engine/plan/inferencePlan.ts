import type * as tf from '@tensorflow/tfjs';
import { loadOneDnn } from '../onednn/loadOneDnn';
import { lowerLayerGraph } from './layerGraph';
import { TrainingPlan } from './trainingPlan';

/** Forward passes of a model on its oneDNN plan (batch norm with its moving statistics, Keras' inference mode). */
export interface InferencePlan {
  readonly description: string;
  /** The outputs of n images (x: n rows of the input's size); a view valid until the next call. */
  run(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

/**
 * The model's forward pass on oneDNN for batches of up to `batchSize`, with the weights the model holds now,
 * or the reason it cannot run there (no oneDNN, a layer the plan has no operation for). A model built for
 * another image size (the project's convolutional models are, given the same weights) gets a plan of its own.
 */
export function inferencePlan(model: tf.LayersModel, batchSize: number, threads: number): InferencePlan | string {
  const { onednn, problems } = loadOneDnn();
  if (!onednn) return problems.join('; ');
  const graph = lowerLayerGraph(model);
  if (typeof graph === 'string') return graph;
  const plan = new TrainingPlan(onednn, graph, batchSize, threads, 'mse', false);
  for (const w of plan.weights) w.values.set(w.weight.variable.read().dataSync() as Float32Array);
  return {
    description: `oneDNN ${onednn.version} plan (${[...plan.implementations].join(', ')}, ${threads} threads)`,
    run(x, n) {
      plan.forward(x, n);
      return plan.output(n);
    },
    dispose: () => plan.dispose(),
  };
}

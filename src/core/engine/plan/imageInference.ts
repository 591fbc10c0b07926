import type * as tf from '@tensorflow/tfjs';
import { loadOneDnn, type OneDnn } from '../onednn/loadOneDnn';
import { lowerLayerGraph } from './layerGraph';
import { PlanArena } from './planArena';
import { TrainingPlan } from './trainingPlan';

/** The same network built for another image size (TensorFlow.js layer models have one fixed input size). */
export type ModelAtSize = (height: number, width: number) => tf.LayersModel;

/** Plans kept for sizes met before (tiles of an image come in a few sizes: the inner ones and the edges). */
const PLANS_KEPT = 4;

/**
 * A fully convolutional model's forward pass on oneDNN at any image size, one image at a time, with the
 * trained weights as they are at each call (a run validates while it trains). Each new size gets a plan
 * (layerGraph.ts lowers the network built for that size; oneDNN's primitives are made for it), and every plan
 * takes its activations from one PlanArena, so a change of size reuses the memory of the last one instead of
 * adding its own. Batch norm runs in inference mode (the moving statistics, as Keras predicts).
 */
export class ImageInference {
  private readonly arena: PlanArena;
  private readonly plans = new Map<
    string,
    { plan: TrainingPlan; sources: tf.LayerVariable[]; generation: number; activationBytes: number }
  >();

  private constructor(
    private readonly onednn: OneDnn,
    private readonly trained: tf.LayersModel,
    private readonly modelAt: ModelAtSize,
    private readonly threads: number,
  ) {
    this.arena = new PlanArena(onednn);
  }

  /** The model on oneDNN, or why it cannot run there (no oneDNN, a layer the plan has no operation for). */
  static create(trained: tf.LayersModel, modelAt: ModelAtSize, threads: number): ImageInference | string {
    const { onednn, problems } = loadOneDnn();
    if (!onednn) return problems.join('; ');
    const graph = lowerLayerGraph(trained);
    if (typeof graph === 'string') return graph;
    return new ImageInference(onednn, trained, modelAt, threads);
  }

  get description(): string {
    return `oneDNN ${this.onednn.version} plan (${this.threads} threads)`;
  }

  /** Activation bytes held now (the largest size met so far decides). */
  activationBytes(): number {
    return this.arena.bytes();
  }

  /**
   * Activation bytes per pixel of a height x width image (planned, not run): they grow with the pixels, so a
   * small probe tells what a tile of any size takes, for sizing tiles to a memory budget.
   */
  activationBytesPerPixel(height: number, width: number): number {
    return this.planFor(height, width).activationBytes / (height * width);
  }

  /**
   * The model's output for one height x width image (HWC floats), unclipped; a view valid until the next call.
   * Throws when oneDNN refuses a primitive for this size (the caller falls back to TensorFlow.js).
   */
  run(x: Float32Array, height: number, width: number): Float32Array {
    const { plan, sources } = this.planFor(height, width);
    plan.weights.forEach((w, i) => w.values.set(sources[i].read().dataSync() as Float32Array));
    plan.forward(x, 1);
    return plan.output(1);
  }

  dispose(): void {
    for (const { plan } of this.plans.values()) plan.dispose();
    this.plans.clear();
    this.arena.dispose();
  }

  private planFor(height: number, width: number) {
    const key = `${height}x${width}`;
    let entry = this.plans.get(key);
    if (entry && entry.generation === this.arena.generation) {
      // Most recently used last, so the oldest is the first one dropped.
      this.plans.delete(key);
      this.plans.set(key, entry);
      return entry;
    }
    entry?.plan.dispose();
    this.plans.delete(key);
    while (this.plans.size >= PLANS_KEPT) {
      const [oldest, { plan }] = this.plans.entries().next().value!;
      plan.dispose();
      this.plans.delete(oldest);
    }
    const sized = this.modelAt(height, width);
    try {
      const graph = lowerLayerGraph(sized);
      if (typeof graph === 'string') throw new Error(graph);
      const sourceOf = this.trainedVariables(sized);
      const plan = new TrainingPlan(this.onednn, graph, 1, this.threads, 'mse', false, this.arena);
      const sources = plan.weights.map((w) => sourceOf.get(w.weight.variable)!);
      entry = { plan, sources, generation: this.arena.generation, activationBytes: this.arena.lastPlanBytes };
    } finally {
      sized.dispose();
    }
    // A slot that grew moved: plans of other sizes made over its old bytes are stale.
    for (const [k, other] of this.plans) {
      if (other.generation !== entry.generation) {
        other.plan.dispose();
        this.plans.delete(k);
      }
    }
    this.plans.set(key, entry);
    return entry;
  }

  /** Each weight of the sized model paired with the trained model's, layer by layer (the same architecture). */
  private trainedVariables(sized: tf.LayersModel): Map<tf.LayerVariable, tf.LayerVariable> {
    const pairs = new Map<tf.LayerVariable, tf.LayerVariable>();
    if (sized.layers.length !== this.trained.layers.length) throw new Error('the sized model has other layers');
    sized.layers.forEach((layer, i) => {
      const trainedWeights = this.trained.layers[i].weights;
      if (layer.weights.length !== trainedWeights.length) throw new Error(`layer ${layer.name} has other weights`);
      layer.weights.forEach((w, k) => pairs.set(w, trainedWeights[k]));
    });
    return pairs;
  }
}

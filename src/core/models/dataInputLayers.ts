import * as tf from '@tensorflow/tfjs';

/*
 * The first layer of a model reads the data, whose gradient nobody needs. TensorFlow.js's Dense and Conv2D
 * layers call fused ops (fused.matMul, fused.conv2d), whose gradients are computed together, eagerly: the
 * gradient with respect to the data was computed every training step and thrown away. For the seed's dense
 * model that is a 256x642x784 product per step (about 1 ms of 15); for the residual CNN a 1->32 input
 * gradient (about 4 ms of 180). The plain ops (matMul, conv2d, add) register one gradient per input, and the
 * tape skips those no trainable weight depends on.
 *
 * These layers are the library's own Dense and Conv2D with only `call` replaced, so a saved model is
 * unchanged (same class name, config and weights) and loads back as the standard layers.
 */

type DenseArgs = Parameters<typeof tf.layers.dense>[0];
type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** What `call` reads of the layer it replaces: fields the library keeps private in its typings. */
interface LayerInternals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  activation: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
  strides: [number, number];
  padding: 'valid' | 'same';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: [number, number];
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: object): void;
}

const single = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? inputs[0] : inputs);

/** bias and activation after the product, as the layer would apply them. */
function finish(layer: LayerInternals, product: tf.Tensor): tf.Tensor {
  const biased = layer.bias ? tf.add(product, layer.bias.read()) : product;
  return layer.activation.getClassName() === 'linear' ? biased : layer.activation.apply(biased);
}

type LayerClass = new (args: never) => tf.layers.Layer;
const classOf = (layer: tf.layers.Layer) => layer.constructor as LayerClass;
const DenseLayer = classOf(tf.layers.dense({ units: 1 }));
const Conv2DLayer = classOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 }));

class DenseOnData extends DenseLayer {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: object): tf.Tensor | tf.Tensor[] {
    const x = single(inputs);
    if (x.rank !== 2) return super.call(inputs, kwargs as never);
    return tf.tidy(() => {
      const layer = this as unknown as LayerInternals;
      layer.invokeCallHook(inputs, kwargs);
      return finish(layer, tf.matMul(x, layer.kernel.read()));
    });
  }
}

class Conv2DOnData extends Conv2DLayer {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: object): tf.Tensor | tf.Tensor[] {
    const layer = this as unknown as LayerInternals;
    const x = single(inputs);
    if (x.rank !== 4 || layer.dataFormat !== 'channelsLast') return super.call(inputs, kwargs as never);
    return tf.tidy(() => {
      layer.invokeCallHook(inputs, kwargs);
      const kernel = layer.kernel.read() as tf.Tensor4D;
      return finish(
        layer,
        tf.conv2d(x as tf.Tensor4D, kernel, layer.strides, layer.padding, 'NHWC', layer.dilationRate),
      );
    });
  }
}

/** tf.layers.dense for the layer that reads the model's input. */
export function denseOnData(args: DenseArgs): tf.layers.Layer {
  return new DenseOnData(args as never);
}

/** tf.layers.conv2d for the layer that reads the model's input. */
export function conv2dOnData(args: Conv2DArgs): tf.layers.Layer {
  return new Conv2DOnData(args as never);
}

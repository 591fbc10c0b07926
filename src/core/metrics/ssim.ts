/**
 * Structural similarity (Wang et al. 2004) as scikit-image computes it with
 * structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1):
 * local means, variances and covariance under an 11x11 Gaussian window (σ 1.5, cut at 3.5σ like
 * scipy's gaussian_filter), only where the window fits inside the image ('valid'), then the mean SSIM map.
 */
const WINDOW_SIZE = 11;
const SIGMA = 1.5;
const C1 = 0.01 ** 2; // (K1·L)² with L = 1
const C2 = 0.03 ** 2; // (K2·L)²

/**
 * The window side: 11, or for images smaller than that (the schema allows 8x8) the largest odd size that
 * fits, where scikit-image would refuse; the Gaussian keeps σ 1.5 and is renormalised over fewer taps.
 */
export function ssimWindowSize(height: number, width: number): number {
  const fits = Math.min(height, width);
  return Math.min(WINDOW_SIZE, fits % 2 === 1 ? fits : fits - 1);
}

/** Normalised 1-D Gaussian weights; the 2-D window is their outer product, which is what makes it separable. */
export function gaussianWeights(size: number, sigma: number): Float64Array {
  const weights = new Float64Array(size);
  const radius = (size - 1) / 2;
  let total = 0;
  for (let k = 0; k < size; k++) {
    weights[k] = Math.exp(-0.5 * ((k - radius) / sigma) ** 2);
    total += weights[k];
  }
  for (let k = 0; k < size; k++) weights[k] /= total;
  return weights;
}

/** SSIM of one image pair: the image starting at `offset` in both buffers. */
export type ImageSsim = (reference: Float32Array, candidate: Float32Array, offset: number) => number;

/**
 * An SSIM function for images of one shape. Its scratch buffers are allocated once here and reused for
 * every image, since evaluation runs it on thousands of images.
 */
export function createImageSsim(height: number, width: number): ImageSsim {
  const size = ssimWindowSize(height, width);
  const w = gaussianWeights(size, SIGMA);
  const outWidth = width - size + 1;
  const outHeight = height - size + 1;
  // First pass (along rows) for every row and every column where the window fits: the five local moments.
  const rowCells = height * outWidth;
  const mx = new Float64Array(rowCells);
  const my = new Float64Array(rowCells);
  const mxx = new Float64Array(rowCells);
  const myy = new Float64Array(rowCells);
  const mxy = new Float64Array(rowCells);

  return (reference, candidate, offset) => {
    for (let y = 0; y < height; y++) {
      const rowStart = offset + y * width;
      for (let ox = 0; ox < outWidth; ox++) {
        let sx = 0,
          sy = 0,
          sxx = 0,
          syy = 0,
          sxy = 0;
        for (let k = 0; k < size; k++) {
          const a = reference[rowStart + ox + k];
          const b = candidate[rowStart + ox + k];
          const wk = w[k];
          sx += wk * a;
          sy += wk * b;
          sxx += wk * a * a;
          syy += wk * b * b;
          sxy += wk * a * b;
        }
        const cell = y * outWidth + ox;
        mx[cell] = sx;
        my[cell] = sy;
        mxx[cell] = sxx;
        myy[cell] = syy;
        mxy[cell] = sxy;
      }
    }
    // Second pass (down columns) gives the windowed moments; SSIM of each valid position is summed.
    let total = 0;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        let ux = 0,
          uy = 0,
          uxx = 0,
          uyy = 0,
          uxy = 0;
        for (let k = 0; k < size; k++) {
          const cell = (oy + k) * outWidth + ox;
          const wk = w[k];
          ux += wk * mx[cell];
          uy += wk * my[cell];
          uxx += wk * mxx[cell];
          uyy += wk * myy[cell];
          uxy += wk * mxy[cell];
        }
        const vx = uxx - ux * ux;
        const vy = uyy - uy * uy;
        const vxy = uxy - ux * uy;
        total += ((2 * ux * uy + C1) * (2 * vxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
      }
    }
    return total / (outHeight * outWidth);
  };
}

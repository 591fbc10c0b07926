import { CBLAS, type BlasLibrary } from './loadBlas';

let ones = new Float32Array(0);

/** A vector of at least `rows` ones, shared by the rank-1 products below. */
function onesFor(rows: number): Float32Array {
  if (ones.length < rows) ones = new Float32Array(rows).fill(1);
  return ones;
}

/**
 * c[0..rows) = bias in every row (row length bias.length), as the rank-1 product ones x bias by sgemm, so a
 * following product can add onto it with beta 1. A JavaScript loop adding the bias after the product took
 * 0.3 ms for a 256x642 dense output and 5 ms for a 128x28x28x32 convolution output (measured once on
 * BENCHMARKS.md's 2-core AVX-512 machine); this runs at memory speed.
 */
export function fillRowsWithBias(blas: BlasLibrary, c: Float32Array, rows: number, bias: Float32Array): void {
  const n = bias.length;
  blas.sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.noTrans, rows, n, 1, 1, onesFor(rows), 1, bias, n, 0, c, n);
}

/**
 * bias += alpha * (the column sums of the first `rows` rows of g), as the product ones^T x g: the bias
 * gradient of a layer whose output gradient is g, applied as an SGD step when alpha is -learningRate.
 */
export function addColumnSums(
  blas: BlasLibrary,
  alpha: number,
  g: Float32Array,
  rows: number,
  bias: Float32Array,
): void {
  const n = bias.length;
  blas.sgemm(CBLAS.rowMajor, CBLAS.noTrans, CBLAS.noTrans, 1, n, rows, alpha, onesFor(rows), rows, g, n, 1, bias, n);
}

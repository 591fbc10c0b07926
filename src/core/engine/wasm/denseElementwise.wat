;; Elementwise passes of the direct training steps (src/core/engine/blas/denseSgdStep.ts, residualCnnStep.ts),
;; four floats at a time with WebAssembly SIMD. Addresses are byte offsets into the module's own memory; counts are numbers of
;; floats and multiples of 4 (the caller does the remainder). Compiled by scripts/build-wasm.mjs.
(module
  ;; Imported, and shared: the residual-CNN step's BLAS worker threads (blasWorkers.ts) read and write the
  ;; same buffers. The host sizes it once; it never grows.
  (import "env" "memory" (memory 1 65536 shared))

  ;; a = max(a, 0)
  (func (export "relu") (param $a i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (f32x4.max (v128.load (local.get $a)) (v128.const f32x4 0 0 0 0)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $next))))

  ;; g = a > 0 ? g : 0, the ReLU gradient read off the ReLU's output a
  (func (export "reluGrad") (param $g i32) (param $a i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
        (v128.store (local.get $g)
          (v128.and (v128.load (local.get $g)) (f32x4.gt (v128.load (local.get $a)) (v128.const f32x4 0 0 0 0))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $next))))

  ;; Over rows x channels (channels a multiple of 4): g = a > 0 ? g : 0, and sums[c] += column c of the new g.
  ;; The ReLU gradient of a convolution's output and its bias gradient in one pass over g (residualCnnStep.ts).
  (func (export "reluGradColumnSums") (param $g i32) (param $a i32) (param $rows i32) (param $channels i32) (param $sums i32)
    (local $end i32) (local $rowEnd i32) (local $rowBytes i32) (local $s i32) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $end (i32.add (local.get $g) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $g) (local.get $rowBytes)))
        (local.set $s (local.get $sums))
        (block $rowDone
          (loop $next
            (br_if $rowDone (i32.ge_u (local.get $g) (local.get $rowEnd)))
            (local.set $v
              (v128.and (v128.load (local.get $g)) (f32x4.gt (v128.load (local.get $a)) (v128.const f32x4 0 0 0 0))))
            (v128.store (local.get $g) (local.get $v))
            (v128.store (local.get $s) (f32x4.add (v128.load (local.get $s)) (local.get $v)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (br $next)))
        (br $row))))

  ;; to += from, over n floats (a multiple of 4)
  (func (export "addInto") (param $to i32) (param $from i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $to) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $to) (local.get $end)))
        (v128.store (local.get $to) (f32x4.add (v128.load (local.get $to)) (v128.load (local.get $from))))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $next))))

  ;; Zeros in `count` runs of `length` bytes, `stride` bytes apart, from `at` on: a grid's padding (batchGrid.ts).
  (func (export "zeroRuns") (param $at i32) (param $count i32) (param $stride i32) (param $length i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (memory.fill (local.get $at) (i32.const 0) (local.get $length))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next))))

  ;; Adam, as TensorFlow.js 4.22 computes it, over n floats (a multiple of 4):
  ;; m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  w -= rate (m / c1) / (sqrt(v / c2) + eps)
  ;; (1 - b1 and 1 - b2 come in as parameters, rounded from doubles as TensorFlow.js rounds them)
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $rate f32) (param $b1 f32) (param $b1c f32) (param $b2 f32) (param $b2c f32) (param $c1 f32) (param $c2 f32) (param $eps f32)
    (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $B1 v128) (local $B1c v128) (local $B2 v128) (local $B2c v128) (local $C1 v128) (local $C2 v128) (local $E v128) (local $R v128)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B1c (f32x4.splat (local.get $b1c)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $B2c (f32x4.splat (local.get $b2c)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (local.set $R (f32x4.splat (local.get $rate)))
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $gv (v128.load (local.get $g)))
        (local.set $mv (f32x4.add (f32x4.mul (local.get $B1) (v128.load (local.get $m))) (f32x4.mul (local.get $B1c) (local.get $gv))))
        (local.set $vv (f32x4.add (f32x4.mul (local.get $B2) (v128.load (local.get $v)))
          (f32x4.mul (local.get $B2c) (f32x4.mul (local.get $gv) (local.get $gv)))))
        (v128.store (local.get $m) (local.get $mv))
        (v128.store (local.get $v) (local.get $vv))
        (v128.store (local.get $w)
          (f32x4.sub (v128.load (local.get $w))
            (f32x4.div (f32x4.mul (local.get $R) (f32x4.div (local.get $mv) (local.get $C1)))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $C2))) (local.get $E)))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $next))))

  ;; Plain SGD, as TensorFlow.js computes it (the product rounded to float32, then the sum), over n floats (a
  ;; multiple of 4): w -= rate g
  (func (export "sgd") (param $w i32) (param $g i32) (param $n i32) (param $rate f32)
    (local $end i32) (local $R v128)
    (local.set $R (f32x4.splat (local.get $rate)))
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (v128.store (local.get $w) (f32x4.sub (v128.load (local.get $w)) (f32x4.mul (local.get $R) (v128.load (local.get $g)))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $next))))

  ;; Momentum (not Nesterov), as TensorFlow.js computes it, over n floats (a multiple of 4):
  ;; a = momentum a + g;  w -= rate a
  (func (export "momentum") (param $w i32) (param $g i32) (param $a i32) (param $n i32) (param $rate f32) (param $momentum f32)
    (local $end i32) (local $av v128) (local $M v128) (local $R v128)
    (local.set $M (f32x4.splat (local.get $momentum)))
    (local.set $R (f32x4.splat (local.get $rate)))
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $av (f32x4.add (f32x4.mul (local.get $M) (v128.load (local.get $a))) (v128.load (local.get $g))))
        (v128.store (local.get $a) (local.get $av))
        (v128.store (local.get $w) (f32x4.sub (v128.load (local.get $w)) (f32x4.mul (local.get $R) (local.get $av))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $next))))

  ;; g = g * a * (1 - a), the sigmoid gradient read off the sigmoid's output a
  (func (export "sigmoidGrad") (param $g i32) (param $a i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
        (local.set $v (v128.load (local.get $a)))
        (v128.store (local.get $g)
          (f32x4.mul (v128.load (local.get $g))
            (f32x4.mul (local.get $v) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $v)))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $next))))

  ;; a = 1 / (1 + e^-a), with e^-a = 2^t (t = -a log2 e, kept within +-126) split into 2^round(t), built in
  ;; the float's exponent bits, times 2^f (|f| <= 1/2) by its Taylor series to degree 6 in f ln 2.
  (func (export "sigmoid") (param $a i32) (param $n i32)
    (local $end i32) (local $t v128) (local $k v128) (local $f v128) (local $p v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $t
          (f32x4.min (v128.const f32x4 126 126 126 126)
            (f32x4.max (v128.const f32x4 -126 -126 -126 -126)
              (f32x4.mul (v128.load (local.get $a))
                (v128.const f32x4 -1.4426950408889634 -1.4426950408889634 -1.4426950408889634 -1.4426950408889634)))))
        (local.set $k (f32x4.nearest (local.get $t)))
        (local.set $f
          (f32x4.mul (f32x4.sub (local.get $t) (local.get $k))
            (v128.const f32x4 0.6931471805599453 0.6931471805599453 0.6931471805599453 0.6931471805599453)))
        (local.set $p (v128.const f32x4 0.001388888888888889 0.001388888888888889 0.001388888888888889 0.001388888888888889))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $f)) (v128.const f32x4 0.008333333333333333 0.008333333333333333 0.008333333333333333 0.008333333333333333)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $f)) (v128.const f32x4 0.041666666666666664 0.041666666666666664 0.041666666666666664 0.041666666666666664)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $f)) (v128.const f32x4 0.16666666666666666 0.16666666666666666 0.16666666666666666 0.16666666666666666)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $f)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $f)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $f)) (v128.const f32x4 1 1 1 1)))
        (v128.store (local.get $a)
          (f32x4.div (v128.const f32x4 1 1 1 1)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (f32x4.mul (local.get $p)
                (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $next))))

  ;; g = scale * (out - y); returns the sum of (out - y)^2, accumulated in doubles
  (func (export "squaredErrorGrad") (param $out i32) (param $y i32) (param $g i32) (param $n i32) (param $scale f32) (result f64)
    (local $end i32) (local $d v128) (local $sq v128) (local $sum v128) (local $s v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
        (local.set $d (f32x4.sub (v128.load (local.get $out)) (v128.load (local.get $y))))
        (v128.store (local.get $g) (f32x4.mul (local.get $d) (local.get $s)))
        (local.set $sq (f32x4.mul (local.get $d) (local.get $d)))
        (local.set $sum (f64x2.add (local.get $sum) (f64x2.promote_low_f32x4 (local.get $sq))))
        (local.set $sum (f64x2.add (local.get $sum)
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sq) (local.get $sq)))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $next)))
    (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
)

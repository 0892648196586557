;; The wasm backend's kernel for thin products, C ← beta·C + alpha·A·B where a dimension is below 8
;; (a layer with 2 inputs or 3 classes): A, B and C row-major as wasm.ts copied them in, no packing
;; (for such a product, packing costs as much as the product). Each element of C adds its terms in the
;; js loops' order (C's scaled value, then (alpha·a)·b for p = 0, 1, ...), so the result is bit for bit
;; the js backend's: rows go four at a time and columns two at a time in the lanes of an f64x2, which
;; keeps that order within each element. With few terms (k below 8: 2 input features), each term
;; instead sweeps along whole rows of C (the js loops' nn), which leaves C's rows in memory between
;; terms but walks B's rows front to back. Pointers and strides (lda, ldb, ldc) are in bytes. The
;; memory is its own and not shared: copies into and out of a shared one go word by word.
(module
  (import "env" "memory" (memory 1 16384))

  (func (export "thinNN")
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (param $m i32) (param $n i32) (param $k i32) (param $alpha f64) (param $beta f64)
    (local $i i32)
    (block $blocksdone
      (loop $blocks
        (br_if $blocksdone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (if (i32.lt_u (local.get $k) (i32.const 8))
          (then
            (call $rows4sweep
              (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda))) (local.get $lda)
              (local.get $b) (local.get $ldb)
              (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))) (local.get $ldc)
              (local.get $n) (local.get $k) (local.get $alpha) (local.get $beta)))
          (else
            (call $rows4
              (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda))) (local.get $lda)
              (local.get $b) (local.get $ldb)
              (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))) (local.get $ldc)
              (local.get $n) (local.get $k) (local.get $alpha) (local.get $beta))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blocks)))
    ;; The last rows (fewer than four), one at a time.
    (block $rowsdone
      (loop $rows
        (br_if $rowsdone (i32.ge_u (local.get $i) (local.get $m)))
        (call $row1
          (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda)))
          (local.get $b) (local.get $ldb)
          (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
          (local.get $n) (local.get $k) (local.get $alpha) (local.get $beta))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; C's starting value as the js loops leave it before the first term: 0 for beta = 0 (old NaNs do
  ;; not survive), C itself for beta = 1, else C·beta.
  (func $start (param $c i32) (param $beta f64) (result f64)
    (if (result f64) (f64.eq (local.get $beta) (f64.const 0))
      (then (f64.const 0))
      (else
        (if (result f64) (f64.eq (local.get $beta) (f64.const 1))
          (then (f64.load (local.get $c)))
          (else (f64.mul (f64.load (local.get $c)) (local.get $beta)))))))

  (func $start2 (param $c i32) (param $beta f64) (result v128)
    (if (result v128) (f64.eq (local.get $beta) (f64.const 0))
      (then (v128.const f64x2 0 0))
      (else
        (if (result v128) (f64.eq (local.get $beta) (f64.const 1))
          (then (v128.load (local.get $c)))
          (else (f64x2.mul (v128.load (local.get $c)) (f64x2.splat (local.get $beta))))))))

  ;; Four rows of C: two columns at a time in four f64x2 sums (one B load per term feeds all four),
  ;; then the odd last column in four scalar sums.
  (func $rows4
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (param $n i32) (param $k i32) (param $alpha f64) (param $beta f64)
    (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $bv v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $bs f64) (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64)
    (block $pairsdone
      (loop $pairs
        (br_if $pairsdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $s0 (call $start2 (local.get $pc) (local.get $beta)))
        (local.set $s1 (call $start2 (i32.add (local.get $pc) (local.get $ldc)) (local.get $beta)))
        (local.set $s2 (call $start2 (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 1))) (local.get $beta)))
        (local.set $s3 (call $start2 (i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const 3))) (local.get $beta)))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (local.get $k))
        (block $done
          (loop $terms
            (br_if $done (i32.eqz (local.get $p)))
            (local.set $bv (v128.load (local.get $pb)))
            (local.set $s0 (f64x2.add (local.get $s0)
              (f64x2.mul (f64x2.splat (f64.mul (local.get $alpha) (f64.load (local.get $pa)))) (local.get $bv))))
            (local.set $s1 (f64x2.add (local.get $s1)
              (f64x2.mul (f64x2.splat (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $pa) (local.get $lda))))) (local.get $bv))))
            (local.set $s2 (f64x2.add (local.get $s2)
              (f64x2.mul (f64x2.splat (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $pa) (i32.shl (local.get $lda) (i32.const 1)))))) (local.get $bv))))
            (local.set $s3 (f64x2.add (local.get $s3)
              (f64x2.mul (f64x2.splat (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $pa) (i32.mul (local.get $lda) (i32.const 3)))))) (local.get $bv))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
            (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $terms)))
        (v128.store (local.get $pc) (local.get $s0))
        (v128.store (i32.add (local.get $pc) (local.get $ldc)) (local.get $s1))
        (v128.store (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 1))) (local.get $s2))
        (v128.store (i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const 3))) (local.get $s3))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $t0 (call $start (local.get $pc) (local.get $beta)))
        (local.set $t1 (call $start (i32.add (local.get $pc) (local.get $ldc)) (local.get $beta)))
        (local.set $t2 (call $start (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 1))) (local.get $beta)))
        (local.set $t3 (call $start (i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const 3))) (local.get $beta)))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (local.get $k))
        (block $done
          (loop $terms
            (br_if $done (i32.eqz (local.get $p)))
            (local.set $bs (f64.load (local.get $pb)))
            (local.set $t0 (f64.add (local.get $t0)
              (f64.mul (f64.mul (local.get $alpha) (f64.load (local.get $pa))) (local.get $bs))))
            (local.set $t1 (f64.add (local.get $t1)
              (f64.mul (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $pa) (local.get $lda)))) (local.get $bs))))
            (local.set $t2 (f64.add (local.get $t2)
              (f64.mul (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $pa) (i32.shl (local.get $lda) (i32.const 1))))) (local.get $bs))))
            (local.set $t3 (f64.add (local.get $t3)
              (f64.mul (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $pa) (i32.mul (local.get $lda) (i32.const 3))))) (local.get $bs))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
            (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $terms)))
        (f64.store (local.get $pc) (local.get $t0))
        (f64.store (i32.add (local.get $pc) (local.get $ldc)) (local.get $t1))
        (f64.store (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 1))) (local.get $t2))
        (f64.store (i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const 3))) (local.get $t3)))))

  ;; C[c..c+n) ← its starting value (see $start), in place.
  (func $startRow (param $c i32) (param $n i32) (param $beta f64)
    (if (f64.eq (local.get $beta) (f64.const 1)) (then (return)))
    (if (f64.eq (local.get $beta) (f64.const 0))
      (then
        (block $done
          (loop $zeros
            (br_if $done (i32.eqz (local.get $n)))
            (f64.store (local.get $c) (f64.const 0))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $zeros))))
      (else
        (block $done
          (loop $scale
            (br_if $done (i32.eqz (local.get $n)))
            (f64.store (local.get $c) (f64.mul (f64.load (local.get $c)) (local.get $beta)))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $scale))))))

  ;; Four rows of C for few terms: C's rows get their starting values, then each term adds
  ;; (alpha·a)·B[p, :] to all four rows, two columns at a time (one B load feeds four rows).
  (func $rows4sweep
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (param $n i32) (param $k i32) (param $alpha f64) (param $beta f64)
    (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $j i32) (local $pb i32) (local $at i32)
    (local $x0 f64) (local $x1 f64) (local $x2 f64) (local $x3 f64)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $bv v128) (local $bs f64)
    (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (call $startRow (local.get $c) (local.get $n) (local.get $beta))
    (call $startRow (local.get $c1) (local.get $n) (local.get $beta))
    (call $startRow (local.get $c2) (local.get $n) (local.get $beta))
    (call $startRow (local.get $c3) (local.get $n) (local.get $beta))
    (block $termsdone
      (loop $terms
        (br_if $termsdone (i32.eqz (local.get $k)))
        (local.set $x0 (f64.mul (local.get $alpha) (f64.load (local.get $a))))
        (local.set $x1 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $a) (local.get $lda)))))
        (local.set $x2 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $a) (i32.shl (local.get $lda) (i32.const 1))))))
        (local.set $x3 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $a) (i32.mul (local.get $lda) (i32.const 3))))))
        (local.set $v0 (f64x2.splat (local.get $x0)))
        (local.set $v1 (f64x2.splat (local.get $x1)))
        (local.set $v2 (f64x2.splat (local.get $x2)))
        (local.set $v3 (f64x2.splat (local.get $x3)))
        (local.set $j (i32.const 0))
        (local.set $pb (local.get $b))
        (block $pairsdone
          (loop $pairs
            (br_if $pairsdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
            (local.set $bv (v128.load (local.get $pb)))
            (local.set $at (i32.shl (local.get $j) (i32.const 3)))
            (v128.store (i32.add (local.get $c) (local.get $at))
              (f64x2.add (v128.load (i32.add (local.get $c) (local.get $at))) (f64x2.mul (local.get $v0) (local.get $bv))))
            (v128.store (i32.add (local.get $c1) (local.get $at))
              (f64x2.add (v128.load (i32.add (local.get $c1) (local.get $at))) (f64x2.mul (local.get $v1) (local.get $bv))))
            (v128.store (i32.add (local.get $c2) (local.get $at))
              (f64x2.add (v128.load (i32.add (local.get $c2) (local.get $at))) (f64x2.mul (local.get $v2) (local.get $bv))))
            (v128.store (i32.add (local.get $c3) (local.get $at))
              (f64x2.add (v128.load (i32.add (local.get $c3) (local.get $at))) (f64x2.mul (local.get $v3) (local.get $bv))))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_u (local.get $j) (local.get $n))
          (then
            (local.set $bs (f64.load (local.get $pb)))
            (local.set $at (i32.shl (local.get $j) (i32.const 3)))
            (f64.store (i32.add (local.get $c) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $c) (local.get $at))) (f64.mul (local.get $x0) (local.get $bs))))
            (f64.store (i32.add (local.get $c1) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $c1) (local.get $at))) (f64.mul (local.get $x1) (local.get $bs))))
            (f64.store (i32.add (local.get $c2) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $c2) (local.get $at))) (f64.mul (local.get $x2) (local.get $bs))))
            (f64.store (i32.add (local.get $c3) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $c3) (local.get $at))) (f64.mul (local.get $x3) (local.get $bs))))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $terms))))

  ;; One row of C: two columns at a time, then the odd last column.
  (func $row1
    (param $a i32) (param $b i32) (param $ldb i32) (param $c i32)
    (param $n i32) (param $k i32) (param $alpha f64) (param $beta f64)
    (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $s v128) (local $t f64)
    (block $pairsdone
      (loop $pairs
        (br_if $pairsdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $s (call $start2 (local.get $pc) (local.get $beta)))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (local.get $k))
        (block $done
          (loop $terms
            (br_if $done (i32.eqz (local.get $p)))
            (local.set $s (f64x2.add (local.get $s)
              (f64x2.mul (f64x2.splat (f64.mul (local.get $alpha) (f64.load (local.get $pa)))) (v128.load (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
            (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $terms)))
        (v128.store (local.get $pc) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $t (call $start (local.get $pc) (local.get $beta)))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (local.get $k))
        (block $done
          (loop $terms
            (br_if $done (i32.eqz (local.get $p)))
            (local.set $t (f64.add (local.get $t)
              (f64.mul (f64.mul (local.get $alpha) (f64.load (local.get $pa))) (f64.load (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
            (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $terms)))
        (f64.store (local.get $pc) (local.get $t))))))

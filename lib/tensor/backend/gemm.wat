;; The wasm backend's inner kernel: C += A·B on packed panels, one 4×4 tile of C at a time in
;; eight f64x2 accumulators (4 rows × 2 vectors of 2 columns), so every B load feeds four
;; multiply-adds and every A element one splat. The caller (wasm.ts) packs the operands so that the
;; loop over k reads both panels front to back:
;;   A panel ib: for p in 0..k, rows 4ib..4ib+3  (32 bytes per p), at ap + ib·k·32
;;   B panel jb: for p in 0..k, cols 4jb..4jb+3  (32 bytes per p), at bp + jb·k·32
;; C is row-major with ldc elements per row, tile (ib, jb) at cp + (4ib·ldc + 4jb)·8.
;; The column panel (jb) is the outer loop, so it stays in L1 while the caller keeps the row panels
;; of one call (mb of them) small enough for L2. The memory is shared (imported), so worker threads
;; can run calls on disjoint row blocks of the same product (wasm-threads.ts).
(module
  (import "env" "memory" (memory 1 16384 shared))
  (func (export "tiles")
    (param $ap i32) (param $bp i32) (param $cp i32) (param $mb i32) (param $nb i32) (param $k i32) (param $ldc i32)
    (local $ib i32) (local $jb i32) (local $p i32) (local $a i32) (local $b i32) (local $c i32) (local $row i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $row (i32.shl (local.get $ldc) (i32.const 3)))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $jb) (local.get $nb)))
        (local.set $ib (i32.const 0))
        (block $idone
          (loop $iloop
            (br_if $idone (i32.ge_u (local.get $ib) (local.get $mb)))
            (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
            (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
            (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
            (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0))
            (local.set $a (i32.add (local.get $ap) (i32.shl (i32.mul (local.get $ib) (local.get $k)) (i32.const 5))))
            (local.set $b (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $jb) (local.get $k)) (i32.const 5))))
            (local.set $p (local.get $k))
            (block $pdone
              (loop $ploop
                (br_if $pdone (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $b)))
                (local.set $b1 (v128.load offset=16 (local.get $b)))
                (local.set $x (f64x2.splat (f64.load (local.get $a))))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load offset=8 (local.get $a))))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load offset=16 (local.get $a))))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load offset=24 (local.get $a))))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $a (i32.add (local.get $a) (i32.const 32)))
                (local.set $b (i32.add (local.get $b) (i32.const 32)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $ploop)))
            ;; c = cp + (4·ib·ldc + 4·jb)·8, then one row (ldc·8 bytes) per accumulator pair.
            (local.set $c (i32.add (local.get $cp)
              (i32.shl (i32.add (i32.mul (i32.shl (local.get $ib) (i32.const 2)) (local.get $ldc)) (i32.shl (local.get $jb) (i32.const 2))) (i32.const 3))))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c00)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
            (local.set $c (i32.add (local.get $c) (local.get $row)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c10)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
            (local.set $c (i32.add (local.get $c) (local.get $row)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c20)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
            (local.set $c (i32.add (local.get $c) (local.get $row)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c30)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c31)))
            (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
            (br $iloop)))
        (local.set $jb (i32.add (local.get $jb) (i32.const 1)))
        (br $jloop)))))

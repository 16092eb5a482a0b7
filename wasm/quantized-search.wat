;; Kernels of the quantized index (src/embed/quantized-index.ts): its search,
;; and the int8 dot products behind recall's MMR similarities. Compiled to
;; gen/wasm/quantized-search.ts by `npm run generate:wasm`.
;;
;; The index lives in one shared memory that the node imports: every thread
;; that searches it instantiates this module over that memory and works in a
;; scratch slot of its own. Sign codes are padded to whole 16-byte chunks, so
;; a row's Hamming distance is one XOR, one popcount and one widening add per
;; chunk (100 dimensions: one chunk).
(module
  (import "index" "memory" (memory 1 65536 shared))

  ;; For each row i < n: dist[i] (u16) = the Hamming distance between its code
  ;; (c16 chunks at codes + 16·c16·i) and the query's (c16 chunks at q), and
  ;; hist[dist[i]] (u32) += 1; 0xFFFF (counted nowhere) when the row's scope
  ;; id (u8 at scopes + i) is 0 in the 256-byte mask at allowed.
  (func (export "hamming") (param $codes i32) (param $scopes i32) (param $allowed i32) (param $n i32)
        (param $q i32) (param $c16 i32) (param $dist i32) (param $hist i32)
    (local $i i32) (local $k i32) (local $p i32) (local $acc v128) (local $d i32) (local $h i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $c16) (i32.const 4)))
    (local.set $p (local.get $codes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $allowed) (i32.load8_u (i32.add (local.get $scopes) (local.get $i))))))
          (then
            (i32.store16 (i32.add (local.get $dist) (i32.shl (local.get $i) (i32.const 1))) (i32.const 0xFFFF)))
          (else
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $k (i32.const 0))
            (loop $chunks
              (local.set $acc
                (i16x8.add (local.get $acc)
                  (i16x8.extadd_pairwise_i8x16_u
                    (i8x16.popcnt
                      (v128.xor
                        (v128.load (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 4))))
                        (v128.load (i32.add (local.get $q) (i32.shl (local.get $k) (i32.const 4)))))))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $chunks (i32.lt_u (local.get $k) (local.get $c16))))
            (local.set $acc (i32x4.extadd_pairwise_i16x8_u (local.get $acc)))
            (local.set $d
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
            (i32.store16 (i32.add (local.get $dist) (i32.shl (local.get $i) (i32.const 1))) (local.get $d))
            (local.set $h (i32.add (local.get $hist) (i32.shl (local.get $d) (i32.const 2))))
            (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Writes to out (u32 each), in row order, every row i < n with
  ;; dist[i] < cut, and the first atCut rows with dist[i] = cut; returns how
  ;; many it wrote. Excluded rows (0xFFFF) are above any cut.
  (func (export "collect") (param $dist i32) (param $n i32) (param $cut i32) (param $atCut i32) (param $out i32) (result i32)
    (local $i i32) (local $d i32) (local $count i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $d (i32.load16_u (i32.add (local.get $dist) (i32.shl (local.get $i) (i32.const 1)))))
        (if (i32.or
              (i32.lt_u (local.get $d) (local.get $cut))
              (i32.and (i32.eq (local.get $d) (local.get $cut)) (i32.gt_s (local.get $atCut) (i32.const 0))))
          (then
            (if (i32.eq (local.get $d) (local.get $cut))
              (then (local.set $atCut (i32.sub (local.get $atCut) (i32.const 1)))))
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $count))

  ;; out[p] (f64) = Σ_d q8[row + d] · query[d] × scale[row] for each row
  ;; = cand[p] (u32), p < count: rows of `stride` int8 components (a multiple
  ;; of 16; padding is 0) at q8, queries of `stride` f64 at query, f32 scales.
  ;; Four components per step into two f64x2 sums, whose lanes are four
  ;; interleaved sums (components ≡ 0, 1, 2, 3 mod 4) added up as
  ;; (s0 + s1) + (s2 + s3). Each product is exact in f64, so the result does
  ;; not depend on the SIMD width, only on this order.
  (func (export "dots") (param $q8 i32) (param $stride i32) (param $scales i32) (param $cand i32) (param $count i32)
        (param $query i32) (param $out i32)
    (local $p i32) (local $row i32) (local $o i32) (local $end i32) (local $qd i32)
    (local $v v128) (local $w v128) (local $x v128) (local $a v128) (local $b v128)
    (block $done
      (loop $cands
        (br_if $done (i32.ge_u (local.get $p) (local.get $count)))
        (local.set $row (i32.load (i32.add (local.get $cand) (i32.shl (local.get $p) (i32.const 2)))))
        (local.set $o (i32.add (local.get $q8) (i32.mul (local.get $row) (local.get $stride))))
        (local.set $end (i32.add (local.get $o) (local.get $stride)))
        (local.set $qd (local.get $query))
        (local.set $a (v128.const f64x2 0 0))
        (local.set $b (v128.const f64x2 0 0))
        (loop $chunks
          (local.set $v (v128.load (local.get $o)))
          ;; components 0–7, then 8–15, of the chunk as i16
          (local.set $w (i16x8.extend_low_i8x16_s (local.get $v)))
          (local.set $x (i32x4.extend_low_i16x8_s (local.get $w)))
          (local.set $a (f64x2.add (local.get $a) (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $x)) (v128.load (local.get $qd)))))
          (local.set $b (f64x2.add (local.get $b) (f64x2.mul
            (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
            (v128.load offset=16 (local.get $qd)))))
          (local.set $x (i32x4.extend_high_i16x8_s (local.get $w)))
          (local.set $a (f64x2.add (local.get $a) (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $x)) (v128.load offset=32 (local.get $qd)))))
          (local.set $b (f64x2.add (local.get $b) (f64x2.mul
            (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
            (v128.load offset=48 (local.get $qd)))))
          (local.set $w (i16x8.extend_high_i8x16_s (local.get $v)))
          (local.set $x (i32x4.extend_low_i16x8_s (local.get $w)))
          (local.set $a (f64x2.add (local.get $a) (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $x)) (v128.load offset=64 (local.get $qd)))))
          (local.set $b (f64x2.add (local.get $b) (f64x2.mul
            (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
            (v128.load offset=80 (local.get $qd)))))
          (local.set $x (i32x4.extend_high_i16x8_s (local.get $w)))
          (local.set $a (f64x2.add (local.get $a) (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $x)) (v128.load offset=96 (local.get $qd)))))
          (local.set $b (f64x2.add (local.get $b) (f64x2.mul
            (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
            (v128.load offset=112 (local.get $qd)))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (local.set $qd (i32.add (local.get $qd) (i32.const 128)))
          (br_if $chunks (i32.lt_u (local.get $o) (local.get $end))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3)))
          (f64.mul
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))
              (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b))))
            (f64.promote_f32 (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $cands))))

  ;; out[p] (f64) = Σ_d q8[a·stride + d] · q8[rows[p]·stride + d], an exact
  ;; integer, for each p < count (rows: u32; 0xFFFFFFFF = no row, out 0). The
  ;; int8 products fit i16; pairwise sums widen them into four i32 lanes.
  (func (export "dots8") (param $q8 i32) (param $stride i32) (param $a i32) (param $rows i32) (param $count i32) (param $out i32)
    (local $p i32) (local $row i32) (local $x i32) (local $y i32) (local $end i32) (local $acc v128) (local $va v128) (local $vb v128)
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $p) (local.get $count)))
        (local.set $row (i32.load (i32.add (local.get $rows) (i32.shl (local.get $p) (i32.const 2)))))
        (if (i32.eq (local.get $row) (i32.const -1))
          (then (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3))) (f64.const 0)))
          (else
            (local.set $x (i32.add (local.get $q8) (i32.mul (local.get $a) (local.get $stride))))
            (local.set $y (i32.add (local.get $q8) (i32.mul (local.get $row) (local.get $stride))))
            (local.set $end (i32.add (local.get $x) (local.get $stride)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (loop $chunks
              (local.set $va (v128.load (local.get $x)))
              (local.set $vb (v128.load (local.get $y)))
              (local.set $acc (i32x4.add (local.get $acc) (i32x4.extadd_pairwise_i16x8_s (i16x8.extmul_low_i8x16_s (local.get $va) (local.get $vb)))))
              (local.set $acc (i32x4.add (local.get $acc) (i32x4.extadd_pairwise_i16x8_s (i16x8.extmul_high_i8x16_s (local.get $va) (local.get $vb)))))
              (local.set $x (i32.add (local.get $x) (i32.const 16)))
              (local.set $y (i32.add (local.get $y) (i32.const 16)))
              (br_if $chunks (i32.lt_u (local.get $x) (local.get $end))))
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 3)))
              (f64.convert_i32_s
                (i32.add
                  (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                  (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pairs))))
)

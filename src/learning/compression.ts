/**
 * Compression of a client's model update Δ = w_local − w_global before upload: uniform b-bit
 * quantization and top-k sparsification. Each returns the update the server reconstructs
 * (so training sees the real compression error) AND its size on the wire in bytes (so the
 * world can time and price the upload). Wire formats, fixed here so byte counts are exact:
 *
 * - none: n fp32 values → 4n bytes.
 * - quantize: per scaled segment (the whole vector, or each tensor) an 8-byte header (fp32
 *   min, fp32 max), then all n codes packed at b bits → 8·segments + ⌈b·n/8⌉ bytes.
 * - top-k: k (int32 index, fp32 value) pairs → 8k bytes; n is known to both sides, so no header.
 */
import type { Rng } from '../core/random.ts';
import type { TensorSlice } from './mlp.ts';

/** A decompressed update and the bytes it took on the wire. */
export interface CompressedUpdate {
  /** What the server reconstructs (same length as the input update). */
  readonly update: Float32Array;
  /** Upload size in bytes under the formats documented at the top of this module. */
  readonly bytes: number;
}

/** Options of {@link quantize}. */
export interface QuantizeOptions {
  /** Bits per value, 1…16 (2^b levels between the segment's min and max). */
  readonly bits: number;
  /**
   * 'deterministic': round to the nearest level (error ≤ step/2, biased);
   * 'stochastic': round up with probability equal to the fractional position (error < step,
   * unbiased: E[decoded] = value, as QSGD-style schemes need for averaging to be unbiased).
   */
  readonly rounding: 'deterministic' | 'stochastic';
  /** Segments scaled separately (e.g. MLP_TENSORS); absent = one min/max for the whole vector. */
  readonly tensors?: readonly TensorSlice[];
}

/** An upload compression as a scenario would name it. */
export type CompressionSpec =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'quantize';
      readonly bits: number;
      readonly rounding: 'deterministic' | 'stochastic';
      /** 'tensor': one min/max per tensor (tighter steps, 8 header bytes each); 'vector': one for all. */
      readonly scaling: 'tensor' | 'vector';
    }
  | { readonly kind: 'topk'; readonly fraction: number };

/** Bytes of an uncompressed fp32 update of n values. */
export function denseBytes(n: number): number {
  return 4 * n;
}

/** Wire size of a b-bit quantized update of n values in `segments` scaled segments. */
export function quantizedBytes(n: number, bits: number, segments: number): number {
  return 8 * segments + Math.ceil((bits * n) / 8);
}

/** Wire size of a top-k update: k (int32 index, fp32 value) pairs. */
export function topKBytes(k: number): number {
  return 8 * k;
}

/**
 * Uniform quantization to `bits` bits: in each segment, step = (max − min)/(2^b − 1) and value
 * v is sent as the integer q = round((v − min)/step) ∈ [0, 2^b − 1] and decoded as min + q·step
 * (fp32). A constant segment (max = min) decodes exactly. `rng` is needed only for stochastic
 * rounding (one draw per value, in index order).
 */
export function quantize(update: Float32Array, opts: QuantizeOptions, rng?: Rng): CompressedUpdate {
  const { bits, rounding } = opts;
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new Error(`quantization bits must be an integer in 1…16, got ${bits}`);
  if (rounding === 'stochastic' && !rng) throw new Error('stochastic rounding needs an rng');
  const segments = opts.tensors ?? [{ name: 'all', offset: 0, length: update.length }];
  const levels = 2 ** bits - 1;
  const out = new Float32Array(update.length);
  let covered = 0;
  for (const seg of segments) {
    const end = seg.offset + seg.length;
    if (seg.offset < 0 || end > update.length) throw new Error(`tensor ${seg.name} lies outside the update`);
    covered += seg.length;
    if (seg.length === 0) continue;
    let min = update[seg.offset];
    let max = min;
    for (let i = seg.offset + 1; i < end; i++) {
      const v = update[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const step = (max - min) / levels;
    if (step === 0) {
      out.fill(min, seg.offset, end);
      continue;
    }
    for (let i = seg.offset; i < end; i++) {
      const t = (update[i] - min) / step;
      let q = rounding === 'deterministic' ? Math.round(t) : Math.floor(t + rng!());
      if (q > levels) q = levels;
      else if (q < 0) q = 0;
      out[i] = min + q * step;
    }
  }
  if (covered !== update.length) throw new Error(`tensors cover ${covered} of ${update.length} values`);
  return { update: out, bytes: quantizedBytes(update.length, bits, segments.length) };
}

/**
 * Top-k sparsification: keeps exactly k entries, those of largest magnitude (ties at the
 * threshold broken by lowest index, so the choice is deterministic), zeroes the rest. The
 * threshold is found by quickselect in O(n) rather than a sort.
 */
export function topK(update: Float32Array, k: number): CompressedUpdate & { readonly kept: Int32Array } {
  const n = update.length;
  if (!Number.isInteger(k) || k < 0) throw new Error(`top-k needs an integer k ≥ 0, got ${k}`);
  k = Math.min(k, n);
  const out = new Float32Array(n);
  const kept = new Int32Array(k);
  if (k === 0) return { update: out, bytes: 0, kept };
  const mag = new Float32Array(n);
  for (let i = 0; i < n; i++) mag[i] = Math.abs(update[i]);
  const threshold = kthSmallest(mag, n - k);
  let above = 0;
  for (let i = 0; i < n; i++) if (Math.abs(update[i]) > threshold) above++;
  let tiesLeft = k - above;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(update[i]);
    if (a > threshold || (a === threshold && tiesLeft-- > 0)) {
      out[i] = update[i];
      kept[c++] = i;
    }
  }
  return { update: out, bytes: topKBytes(k), kept };
}

/**
 * Applies a {@link CompressionSpec}; `tensors` are the segments of per-tensor scaling and
 * `rng` feeds stochastic rounding. Top-k keeps max(1, round(fraction · n)) entries.
 */
export function compressUpdate(
  update: Float32Array,
  spec: CompressionSpec,
  tensors: readonly TensorSlice[],
  rng: Rng,
): CompressedUpdate {
  switch (spec.kind) {
    case 'none':
      return { update, bytes: denseBytes(update.length) };
    case 'quantize':
      return quantize(update, { bits: spec.bits, rounding: spec.rounding, tensors: spec.scaling === 'tensor' ? tensors : undefined }, rng);
    case 'topk': {
      if (!(spec.fraction > 0 && spec.fraction <= 1)) throw new Error(`top-k fraction must be in (0, 1], got ${spec.fraction}`);
      const { update: u, bytes } = topK(update, Math.max(1, Math.round(spec.fraction * update.length)));
      return { update: u, bytes };
    }
  }
}

/** The value of rank r (0 = smallest) of `a`, by Hoare quickselect; reorders `a`. */
function kthSmallest(a: Float32Array, r: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three: deterministic, and safe on sorted or constant input.
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (r <= j) hi = j;
    else if (r >= i) lo = i;
    else return a[r];
  }
  return a[r];
}

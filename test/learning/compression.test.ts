import { describe, expect, it } from 'vitest';
import { standardNormal } from '../../src/core/distributions.ts';
import { RandomStreams } from '../../src/core/random.ts';
import { compressUpdate, quantize, quantizedBytes, topK } from '../../src/learning/compression.ts';
import { MLP_TENSORS, PARAM_COUNT } from '../../src/learning/mlp.ts';

const rng = (key: string) => new RandomStreams(11).stream('training', key);

/** A synthetic update of the MLP's size: N(0, 0.01²) per entry, a few larger outliers. */
function fakeUpdate(): Float32Array {
  const r = rng('update');
  const u = new Float32Array(PARAM_COUNT);
  for (let i = 0; i < u.length; i++) u[i] = 0.01 * standardNormal(r) * (r() < 0.001 ? 20 : 1);
  return u;
}

function range(a: Float32Array, from = 0, to = a.length): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    min = Math.min(min, a[i]);
    max = Math.max(max, a[i]);
  }
  return { min, max };
}

describe('update compression', () => {
  const u = fakeUpdate();
  const { min, max } = range(u);

  it.each([1, 2, 4, 8, 12])('deterministic %i-bit quantization: error ≤ half a step, bytes = 8 + ⌈b·n/8⌉', (bits) => {
    const q = quantize(u, { bits, rounding: 'deterministic' });
    const step = (max - min) / (2 ** bits - 1);
    let worst = 0;
    for (let i = 0; i < u.length; i++) worst = Math.max(worst, Math.abs(q.update[i] - u[i]));
    // Float32 storage of the decoded value adds at most half an ulp of |value| (≤ 2^-24 · 0.5).
    expect(worst).toBeLessThanOrEqual(step / 2 + 2 ** -24);
    expect(q.bytes).toBe(8 + Math.ceil((bits * PARAM_COUNT) / 8));
    // At most 2^b distinct decoded values.
    expect(new Set(q.update).size).toBeLessThanOrEqual(2 ** bits);
  });

  it('stochastic 4-bit quantization: error < one step and unbiased on average', () => {
    const bits = 4;
    const q = quantize(u, { bits, rounding: 'stochastic' }, rng('sr'));
    const step = (max - min) / (2 ** bits - 1);
    let worst = 0;
    let bias = 0;
    for (let i = 0; i < u.length; i++) {
      const e = q.update[i] - u[i];
      worst = Math.max(worst, Math.abs(e));
      bias += e;
    }
    expect(worst).toBeLessThan(step + 2 ** -24);
    // Mean error within 5 standard errors of 0 (each error has sd ≤ step/2).
    expect(Math.abs(bias / u.length)).toBeLessThan((5 * step) / 2 / Math.sqrt(u.length));
    // Deterministic given the rng.
    expect(quantize(u, { bits, rounding: 'stochastic' }, rng('sr')).update).toEqual(q.update);
  });

  it('per-tensor scaling: each tensor within half of its own step; 4 headers of 8 bytes', () => {
    const bits = 3;
    const q = quantize(u, { bits, rounding: 'deterministic', tensors: MLP_TENSORS });
    for (const t of MLP_TENSORS) {
      const r = range(u, t.offset, t.offset + t.length);
      const step = (r.max - r.min) / (2 ** bits - 1);
      let worst = 0;
      for (let i = t.offset; i < t.offset + t.length; i++) worst = Math.max(worst, Math.abs(q.update[i] - u[i]));
      expect(worst, t.name).toBeLessThanOrEqual(step / 2 + 2 ** -24);
    }
    expect(q.bytes).toBe(4 * 8 + Math.ceil((3 * PARAM_COUNT) / 8));
    expect(q.bytes).toBe(quantizedBytes(PARAM_COUNT, 3, 4));
  });

  it('a constant vector quantizes exactly', () => {
    const c = new Float32Array(100).fill(0.25);
    expect(quantize(c, { bits: 2, rounding: 'deterministic' }).update.every((v) => v === 0.25)).toBe(true);
  });

  it.each([1, 10, 1000, PARAM_COUNT])('top-%i keeps exactly k entries, the k largest in magnitude, values unchanged, 8k bytes', (k) => {
    const s = topK(u, k);
    let nonZero = 0;
    let smallestKept = Infinity;
    for (let i = 0; i < u.length; i++) {
      if (s.update[i] !== 0) {
        nonZero++;
        expect(s.update[i]).toBe(u[i]);
        smallestKept = Math.min(smallestKept, Math.abs(u[i]));
      }
    }
    expect(nonZero).toBe(k);
    expect(s.kept.length).toBe(k);
    // Reference: sort magnitudes descending; the k-th is the smallest kept.
    const sorted = Float32Array.from(u, Math.abs).sort().reverse();
    expect(smallestKept).toBe(sorted[k - 1]);
    if (k < u.length) expect(sorted[k]).toBeLessThanOrEqual(smallestKept);
    expect(s.bytes).toBe(8 * k);
  });

  it('top-k with ties at the threshold keeps exactly k, lowest indices first', () => {
    const t = Float32Array.from([1, -3, 2, 2, -2, 0.5, 2]);
    const s = topK(t, 3);
    expect(Array.from(s.kept)).toEqual([1, 2, 3]);
    expect(Array.from(s.update)).toEqual([0, -3, 2, 2, 0, 0, 0]);
  });

  it('compressUpdate: none costs 4n bytes; top-k fraction 1 % keeps round(0.01 n); quantize per tensor', () => {
    const r = rng('c');
    expect(compressUpdate(u, { kind: 'none' }, MLP_TENSORS, r).bytes).toBe(4 * PARAM_COUNT);
    const k = Math.round(0.01 * PARAM_COUNT);
    expect(compressUpdate(u, { kind: 'topk', fraction: 0.01 }, MLP_TENSORS, r).bytes).toBe(8 * k);
    const q = compressUpdate(u, { kind: 'quantize', bits: 8, rounding: 'deterministic', scaling: 'tensor' }, MLP_TENSORS, r);
    expect(q.bytes).toBe(32 + PARAM_COUNT);
    expect(() => quantize(u, { bits: 0, rounding: 'deterministic' })).toThrow(/bits/);
    expect(() => quantize(u, { bits: 4, rounding: 'stochastic' })).toThrow(/rng/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracyCoordinates, estimateAccuracy } from '../../src/policies/compression/accuracy.ts';
import { accuracyProfile, parseAccuracyFile, type AccuracyPoint, type AccuracyProfile } from '../../src/policies/compression/accuracy-profile.ts';
import { INT8, type CompressionVariant } from '../../src/policies/compression/variant.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';

const point = (p: Partial<AccuracyPoint> & Pick<AccuracyPoint, 'top1' | 'baselineTop1' | 'source'>): AccuracyPoint => ({
  sparsity: 0,
  channels: 0,
  weightBits: 32,
  activationBits: 32,
  method: 'test',
  ...p,
});

/** A made-up profile whose expected estimates are worked out by hand below. */
const PROFILE: AccuracyProfile = {
  model: 'toy',
  reference: { top1: 70, source: 'reference' },
  points: [
    point({ sparsity: 0.5, top1: 69, baselineTop1: 70, source: 'A' }), // change −1
    point({ sparsity: 0.8, top1: 66, baselineTop1: 71, source: 'B' }), // change −5 (its own baseline is 71)
    point({ weightBits: 8, activationBits: 8, top1: 69.5, baselineTop1: 70, source: 'C' }), // −0.5
    point({ weightBits: 8, activationBits: 8, top1: 70.2, baselineTop1: 70, source: 'D' }), // +0.2: the lower one is kept
  ],
};
const prune = (sparsity: number): CompressionVariant => ({ name: `p${sparsity}`, pruning: { sparsity, format: 'csr' } });

describe('accuracy from published points', () => {
  it('maps a variant to its coordinates', () => {
    expect(accuracyCoordinates(INT8)).toEqual({ sparsity: 0, channels: 0, weightBits: 8, activationBits: 8 });
    expect(accuracyCoordinates({ name: 'x', channels: 0.3, pruning: { sparsity: 0.7, format: 'bitmask' }, sharing: { clusters: 16 } })).toEqual({
      sparsity: 0.7,
      channels: 0.3,
      weightBits: 4,
      activationBits: 32,
    });
  });

  it('uses a published point as it is, changes measured against each source’s own baseline, the lowest at one coordinate', () => {
    const p50 = estimateAccuracy(PROFILE, prune(0.5));
    expect(p50).toMatchObject({ top1: 69, basis: 'published', warnings: [] });
    expect(p50.sources).toEqual(['A']);
    const int8 = estimateAccuracy(PROFILE, INT8);
    expect(int8.top1).toBeCloseTo(69.5, 12);
    expect(int8.sources).toEqual(['C']); // the source of the value kept, not D's higher point it was chosen over (helper-86)
  });

  it('interpolates linearly between the nearest published points, without a warning', () => {
    // 0.65 is halfway between 0.5 (−1) and 0.8 (−5): −3.
    expect(estimateAccuracy(PROFILE, prune(0.65))).toMatchObject({ top1: 67, basis: 'interpolated', warnings: [] });
    // 0.25 is halfway between the dense model (0) and 0.5 (−1).
    expect(estimateAccuracy(PROFILE, prune(0.25)).top1).toBeCloseTo(69.5, 12);
    // 16 bits lie on the line 32/32 → 8/8, a third of the way: −0.5 / 1.5.
    expect(estimateAccuracy(PROFILE, { name: 'q16b', quantization: { levels: 65_536 } }).top1).toBeCloseTo(70 - 0.5 / 1.5, 12);
  });

  it('extrapolates only with a warning that gives the value and says what lay beyond the points', () => {
    // 0.9 lies beyond 0.8; of the lines through 0.8 the longest (from the dense model, slope −5 / 0.8) is used: −5.625.
    const e = estimateAccuracy(PROFILE, prune(0.9));
    expect(e.basis).toBe('extrapolated');
    expect(e.top1).toBeCloseTo(64.375, 12);
    expect(e.warnings).toHaveLength(1);
    expect(e.warnings[0]).toMatch(/sparsity 0\.9 lies beyond the published points dense fp32 and sparsity 0\.8; extrapolated linearly/);
    expect(e.warnings[0]).toMatch(/top-1 64\.375 %/);
    // 4/4 bits: along 32/32 → 8/8 with t = 28/24.
    expect(estimateAccuracy(PROFILE, { name: 'q16', quantization: { levels: 16 } }).top1).toBeCloseTo(70 - (0.5 * 28) / 24, 12);
  });

  it('holds an extrapolation to no better than a point it compresses further: published noise does not make more compression more accurate', () => {
    // As MobileNetV2's data: int8 −0.8, 50 %-sparse int8 −0.78 (0.02 better). The line through them
    // reaches 90 %-sparse int8 at −0.8 + 0.9/0.5 × 0.02 = −0.764, above int8; held to int8's −0.8.
    const noisy: AccuracyProfile = {
      model: 'toy',
      reference: { top1: 70, source: 'reference' },
      points: [
        point({ weightBits: 8, activationBits: 8, top1: 69.2, baselineTop1: 70, source: 'Q' }),
        point({ sparsity: 0.5, weightBits: 8, activationBits: 8, top1: 69.22, baselineTop1: 70, source: 'P' }),
      ],
    };
    const e = estimateAccuracy(noisy, { name: 'p90-int8', pruning: { sparsity: 0.9, format: 'csr' }, quantization: { levels: 256 } });
    expect(e.basis).toBe('extrapolated');
    expect(e.top1).toBeCloseTo(69.2, 12);
    expect(e.change).toBeCloseTo(-0.8, 12);
    expect(e.sources).toEqual(expect.arrayContaining(['Q', 'P']));
    expect(e.warnings).toHaveLength(1);
    expect(e.warnings[0]).toMatch(/extrapolated linearly \(-0\.764 points\) → top-1 69\.236 %; held to the -0\.8 points of 8-bit weights, 8-bit activations, which it compresses further \(more compression is not assumed to gain accuracy\) → top-1 69\.2 %$/);
    // Never above the dense model either: a rising line from fp32 does not extrapolate to a gain.
    const rising: AccuracyProfile = { model: 'toy', reference: { top1: 70, source: 'reference' }, points: [point({ sparsity: 0.3, top1: 70.3, baselineTop1: 70, source: 'R' })] };
    const far = estimateAccuracy(rising, prune(0.6));
    expect(far.basis).toBe('extrapolated');
    expect(far.top1).toBeCloseTo(70, 12); // the line says +0.6; the dense model's 0 holds it (the +0.3 point is not below 0)
    // Interpolated and published estimates are the data's own, not held: 0.3 is published at +0.3.
    expect(estimateAccuracy(rising, prune(0.3)).top1).toBeCloseTo(70.3, 12);
    // Combined with an extrapolated part: sparsity 0.6 extrapolated to +0.6, int8 −0.5, added +0.1; held to int8's −0.5,
    // said on the warning that states the added estimate (the part's own warning keeps its part's figure).
    const mixed: AccuracyProfile = { ...rising, points: [...rising.points, point({ weightBits: 8, activationBits: 8, top1: 69.5, baselineTop1: 70, source: 'Q' })] };
    const both = estimateAccuracy(mixed, { name: 'p60-int8', pruning: { sparsity: 0.6, format: 'csr' }, quantization: { levels: 256 } });
    expect(both.top1).toBeCloseTo(69.5, 12);
    expect(both.warnings).toHaveLength(2);
    expect(both.warnings[0]).toMatch(/were added: \+0\.1 points → top-1 70\.1 %; held to the -0\.5 points of 8-bit weights, 8-bit activations, .* → top-1 69\.5 %$/);
    expect(both.warnings[1]).not.toMatch(/held to/);
  });

  it('adds the changes of unpublished combinations, with a warning; unknown when a part has no point', () => {
    const both = estimateAccuracy(PROFILE, { name: 'p50-int8', pruning: { sparsity: 0.5, format: 'csr' }, quantization: { levels: 256 } });
    expect(both.basis).toBe('combined');
    expect(both.top1).toBeCloseTo(70 - 1 - 0.5, 12);
    expect(both.warnings[0]).toMatch(/not a published combination.*sparsity 0\.5 \(-1 points, published\) and 8-bit weights, 8-bit activations \(-0\.5 points, published\) were added: -1\.5 points/);
    const far = estimateAccuracy(PROFILE, { name: 'p90-int8', pruning: { sparsity: 0.9, format: 'csr' }, quantization: { levels: 256 } });
    expect(far.basis).toBe('extrapolated');
    expect(far.top1).toBeCloseTo(70 - 5.625 - 0.5, 12);
    expect(far.warnings).toHaveLength(2);
    for (const v of [{ name: 'c30', channels: 0.3 }, { name: 's16', sharing: { clusters: 16 } }] satisfies CompressionVariant[]) {
      const u = estimateAccuracy(PROFILE, v);
      expect(u).toMatchObject({ top1: undefined, basis: 'unknown' });
      expect(u.warnings[0]).toMatch(/no published point supports .*top-1 unknown/);
    }
  });
});

describe('the accuracy data files', () => {
  const DIR = new URL('../../data/accuracy/', import.meta.url);
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  const zoo = (name: string) => JSON.parse(readFileSync(new URL(`../../data/models/${name}.json`, import.meta.url), 'utf8'));
  const { models } = loadCatalog();

  it('parse, name a zoo model, and cite a source for every point', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const file = parseAccuracyFile(JSON.parse(readFileSync(new URL(f, DIR), 'utf8')));
      expect(`${file.model}.json`).toBe(f);
      expect(models.has(file.model)).toBe(true);
      for (const p of file.points) expect(p.source.length).toBeGreaterThan(20);
    }
    expect(() => parseAccuracyFile({ model: 'x', metric: 'm', points: [{ top1: 1, baselineTop1: 1, method: 'm', source: 's', bits: 8 }] })).toThrow();
  });

  it('join the zoo file’s fp32 and int8 figures: int8 estimates keep the lowest published change', () => {
    const read = (name: string) => parseAccuracyFile(JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')));
    // ResNet-50: torchvision int8 75.92 vs fp32 76.13 (−0.21), NNCF QAT +0.31 and +0.24, Distiller's post-training
    // per-tensor 75.292 vs 76.130 (−0.838, the scheme tensor/quantize.ts implements): the lowest is kept.
    const resnet = accuracyProfile('resnet50', zoo('resnet50').accuracy, read('resnet50'));
    expect(estimateAccuracy(resnet, INT8).top1).toBeCloseTo(76.13 + (75.292 - 76.13), 9);
    // MobileNetV2: torchvision 71.658 vs 71.878 (−0.22), NNCF QAT 71.07 vs 71.87 (−0.80): −0.80.
    const mobilenet = accuracyProfile('mobilenet-v2', zoo('mobilenet-v2').accuracy, read('mobilenet-v2'));
    expect(estimateAccuracy(mobilenet, INT8).top1).toBeCloseTo(71.878 - 0.8, 9);
    // ResNet-50 at 50 % sparsity: between Distiller's 26 % (+0.39) and 80 % (−0.16), linearly.
    const p50 = estimateAccuracy(resnet, prune(0.5));
    expect(p50.basis).toBe('interpolated');
    expect(p50.change).toBeCloseTo(0.39 + ((0.5 - 0.26) / (0.8 - 0.26)) * (-0.16 - 0.39), 9);
    expect(() => accuracyProfile('vgg16', zoo('resnet50').accuracy, read('resnet50'))).toThrow(/resnet50/);
  });
});

import { DENSE_FP32, type AccuracyCoordinates, type AccuracyPoint, type AccuracyProfile } from './accuracy-profile.ts';
import { activationBits, weightBits } from './coding.ts';
import type { CompressionVariant } from './variant.ts';

/** How an accuracy estimate was obtained, from most to least trustworthy. */
export type AccuracyBasis = 'published' | 'interpolated' | 'combined' | 'extrapolated' | 'unknown';

/** A variant's estimated top-1 and where it comes from. */
export interface AccuracyEstimate {
  /** Top-1, % (undefined when nothing published supports an estimate). */
  readonly top1: number | undefined;
  /** Change against the reference fp32 top-1, percentage points. */
  readonly change: number | undefined;
  readonly basis: AccuracyBasis;
  /** Sources of the points used. */
  readonly sources: readonly string[];
  /** Set whenever the basis is combined, extrapolated or unknown: what was assumed, with the value. */
  readonly warnings: readonly string[];
}

/** The accuracy-profile coordinates of a variant: sparsity, channel fraction, weight and activation bits. */
export function accuracyCoordinates(variant: CompressionVariant): AccuracyCoordinates {
  return {
    sparsity: variant.pruning?.sparsity ?? 0,
    channels: variant.channels ?? 0,
    weightBits: weightBits(variant),
    activationBits: activationBits(variant),
  };
}

type Vector = readonly [number, number, number, number];

/** Published knowledge at one coordinate: the lowest change published there (pessimistic) and its sources. */
interface Known {
  readonly at: Vector;
  readonly change: number;
  readonly sources: readonly string[];
}

/** One estimate from the points along a line: the change, its basis and the points used. */
interface LineEstimate {
  readonly change: number;
  readonly basis: 'published' | 'interpolated' | 'extrapolated';
  readonly from: readonly Known[];
}

/** Axis weights for distances: fractions as they are, bits over 32. */
const SCALE: Vector = [1, 1, 1 / 32, 1 / 32];
/** Coordinate groups that combine additively when no published point joins them. */
const GROUPS: readonly (readonly number[])[] = [[0], [1], [2, 3]];
const EPS = 1e-9;

const vector = (c: AccuracyCoordinates): Vector => [c.sparsity, c.channels, c.weightBits, c.activationBits];
const same = (a: Vector, b: Vector) => a.every((x, i) => Math.abs(x - b[i]) <= EPS);

/**
 * Estimated top-1 of a variant of the profile's model. Algorithm, on the points' changes
 * (top1 − baselineTop1, so every source is measured against its own fp32 model), several points
 * at one coordinate keeping the lowest (pessimistic); the dense fp32 model is the point of
 * change 0. In order of trust:
 * 1. a point at the variant's coordinates → published;
 * 2. the variant on the segment between two points, the shortest such segment → linear
 *    interpolation (e.g. in sparsity, or in bits along 32/32 → 8/8);
 * 3. when the variant changes several groups (pruning, channels, quantization) and each group
 *    alone is published or interpolated, the sum of their changes → combined, with a warning
 *    naming the parts (their effects are assumed additive);
 * 4. the variant on the line through two points but outside them — the line whose nearer point
 *    is nearest, the longest of those (a short segment's slope is mostly noise) → linear
 *    extrapolation, with a warning; else step 3 with extrapolated parts, with both warnings;
 *    either way held to no better than any known point the variant compresses at least as much
 *    (sparsity and channels pruned ≥, weight and activation bits ≤; the dense fp32 model among
 *    them): beyond the points, more compression is not assumed to gain accuracy (a slope of
 *    published noise — 52 %-sparse int8 0.02 points above dense int8 — would otherwise give a
 *    90 %-sparse int8 model a higher top-1 than int8's), with the hold said in the warning;
 * 5. else unknown (no top-1), with a warning.
 * The top-1 is the reference fp32 top-1 plus the change, held to [0, 100]. Cost O(points²).
 */
export function estimateAccuracy(profile: AccuracyProfile, variant: CompressionVariant): AccuracyEstimate {
  const known = collapse(profile);
  const v = vector(accuracyCoordinates(variant));
  const subject = `accuracy of ${variant.name} on ${profile.model}`;
  const direct = alongLines(known, v);
  if (direct && direct.basis !== 'extrapolated') return finish(profile, direct.change, direct.basis, sourcesOf(direct.from), []);
  const parts = byGroup(known, v);
  const partsExtrapolated = parts?.filter((p) => p.estimate.basis === 'extrapolated') ?? [];
  if (parts && partsExtrapolated.length === 0) return combine(profile, subject, v, parts, []);
  if (direct) return heldByLessCompressed(known, v, finish(profile, direct.change, 'extrapolated', sourcesOf(direct.from), [extrapolation(subject, v, direct)]), profile);
  if (parts) return heldByLessCompressed(known, v, combine(profile, subject, v, parts, partsExtrapolated.map((p) => extrapolation(subject, p.group, p.estimate))), profile);
  return { top1: undefined, change: undefined, basis: 'unknown', sources: [], warnings: [`${subject}: no published point supports ${describe(v)}: top-1 unknown`] };
}

/** A group's coordinates (the others at their dense fp32 values) and its estimate along lines. */
interface Part {
  readonly group: Vector;
  readonly estimate: LineEstimate;
}

/** Estimates of each group the variant changes, alone; undefined unless there are two or more and each has one. */
function byGroup(known: readonly Known[], v: Vector): Part[] | undefined {
  const dense = vector(DENSE_FP32);
  const parts: Part[] = [];
  for (const group of GROUPS) {
    if (group.every((i) => v[i] === dense[i])) continue;
    const g = v.map((x, i) => (group.includes(i) ? x : dense[i])) as [number, number, number, number];
    const estimate = alongLines(known, g);
    if (!estimate) return undefined;
    parts.push({ group: g, estimate });
  }
  return parts.length >= 2 ? parts : undefined;
}

/** Step 3: the sum of the parts' changes, with a warning naming them. */
function combine(profile: AccuracyProfile, subject: string, v: Vector, parts: readonly Part[], more: string[]): AccuracyEstimate {
  const change = parts.reduce((s, p) => s + p.estimate.change, 0);
  const named = parts.map((p) => `${describe(p.group)} (${signed(p.estimate.change)} points, ${p.estimate.basis})`).join(' and ');
  const warning = `${subject}: ${describe(v)} is not a published combination; the changes of ${named} were added: ${signed(change)} points`;
  return finish(profile, change, more.length > 0 ? 'extrapolated' : 'combined', sourcesOf(parts.flatMap((p) => p.estimate.from)), [warning, ...more]);
}

/** The profile's points by coordinate (the lowest change kept), with the dense fp32 model at change 0. */
function collapse(profile: AccuracyProfile): Known[] {
  const dense = vector(DENSE_FP32);
  const known: Known[] = [{ at: dense, change: 0, sources: [profile.reference.source] }];
  const byKey = new Map<string, AccuracyPoint[]>();
  for (const p of profile.points) {
    const key = vector(p).join('/');
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  for (const group of byKey.values()) {
    const at = vector(group[0]);
    if (same(at, dense)) continue;
    const change = Math.min(...group.map((p) => p.top1 - p.baselineTop1));
    // The sources of the value kept, the lowest: not those of the points it was chosen over (helper-86: int8's 75.29 was cited to torchvision's 75.92 first).
    known.push({ at, change, sources: group.filter((p) => p.top1 - p.baselineTop1 === change).map((p) => p.source) });
  }
  return known;
}

/** Steps 1–3: a point at v, else the shortest segment through v, else the nearest line through v. */
function alongLines(known: readonly Known[], v: Vector): LineEstimate | undefined {
  const exact = known.find((k) => same(k.at, v));
  if (exact) return { change: exact.change, basis: 'published', from: [exact] };
  let inside: { e: LineEstimate; length: number } | undefined;
  let outside: { e: LineEstimate; gap: number; length: number } | undefined;
  for (let i = 0; i < known.length; i++) {
    for (let j = i + 1; j < known.length; j++) {
      const a = known[i];
      const b = known[j];
      const t = lineParameter(a.at, b.at, v);
      if (t === undefined) continue;
      const change = a.change + t * (b.change - a.change);
      const length = distance(a.at, b.at);
      if (t > 0 && t < 1) {
        if (!inside || length < inside.length - EPS || (length <= inside.length + EPS && change < inside.e.change)) {
          inside = { e: { change, basis: 'interpolated', from: [a, b] }, length };
        }
      } else {
        const gap = Math.min(distance(a.at, v), distance(b.at, v));
        if (!outside || gap < outside.gap - EPS || (gap <= outside.gap + EPS && length > outside.length)) {
          outside = { e: { change, basis: 'extrapolated', from: [a, b] }, gap, length };
        }
      }
    }
  }
  return inside?.e ?? outside?.e;
}

/** t with v = a + t(b − a), or undefined when v is not on the line through a and b. */
function lineParameter(a: Vector, b: Vector, v: Vector): number | undefined {
  let axis = -1;
  let longest = EPS;
  for (let i = 0; i < 4; i++) {
    const d = Math.abs(b[i] - a[i]) * SCALE[i];
    if (d > longest) {
      longest = d;
      axis = i;
    }
  }
  if (axis < 0) return undefined;
  const t = (v[axis] - a[axis]) / (b[axis] - a[axis]);
  for (let i = 0; i < 4; i++) if (Math.abs(a[i] + t * (b[i] - a[i]) - v[i]) > EPS * (1 + Math.abs(v[i]))) return undefined;
  return t;
}

function distance(a: Vector, b: Vector): number {
  return Math.hypot(...a.map((x, i) => (x - b[i]) * SCALE[i]));
}

function finish(profile: AccuracyProfile, change: number, basis: AccuracyBasis, sources: string[], warnings: string[]): AccuracyEstimate {
  const top1 = Math.min(100, Math.max(0, profile.reference.top1 + change));
  const value = `${round(top1)} %`;
  return { top1, change, basis, sources, warnings: warnings.map((w) => `${w} → top-1 ${value}`) };
}

function extrapolation(subject: string, v: Vector, e: LineEstimate): string {
  const [a, b] = e.from;
  return `${subject}: ${describe(v)} lies beyond the published points ${describe(a.at)} and ${describe(b.at)}; extrapolated linearly (${signed(e.change)} points)`;
}

function sourcesOf(known: readonly Known[]): string[] {
  return [...new Set(known.flatMap((k) => k.sources))];
}

/** Whether the variant at `v` compresses at least as much as the point at `p` in every coordinate. */
function compressesAtLeast(v: Vector, p: Vector): boolean {
  return v[0] >= p[0] - EPS && v[1] >= p[1] - EPS && v[2] <= p[2] + EPS && v[3] <= p[3] + EPS;
}

/**
 * Step 4's hold: an extrapolated estimate no better than the least change among the known points
 * the variant compresses at least as much as (the dense fp32 model, change 0, always among them).
 */
function heldByLessCompressed(known: readonly Known[], v: Vector, e: AccuracyEstimate, profile: AccuracyProfile): AccuracyEstimate {
  let least: Known | undefined;
  for (const k of known) if (compressesAtLeast(v, k.at) && (!least || k.change < least.change)) least = k;
  if (!least || e.change === undefined || e.change <= least.change) return e;
  const held = finish(profile, least.change, 'extrapolated', [...new Set([...e.sources, ...least.sources])], []);
  const note = `; held to the ${signed(least.change)} points of ${describe(least.at)}, which it compresses further (more compression is not assumed to gain accuracy) → top-1 ${round(held.top1!)} %`;
  // The first warning states the estimate as a whole (the combined one, when parts were added): the hold goes there.
  const warnings = e.warnings.map((w, i) => (i === 0 ? w + note : w));
  return { ...held, warnings };
}

/** Coordinates in words, defaults left out ("dense fp32" when all are defaults). */
function describe(c: Vector): string {
  const words: string[] = [];
  if (c[0] !== 0) words.push(`sparsity ${round(c[0])}`);
  if (c[1] !== 0) words.push(`channels pruned ${round(c[1])}`);
  if (c[2] !== 32) words.push(`${c[2]}-bit weights`);
  if (c[3] !== 32) words.push(`${c[3]}-bit activations`);
  return words.length > 0 ? words.join(', ') : 'dense fp32';
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${round(x)}`;
}

import { describe, expect, it } from 'vitest';
import { exact, sizeWitness, type SizeEvidence } from '../../src/metrics/claims.ts';
import { routeNetwork, type SplitEnd, splitCost, splitProfile } from '../../src/policies/partitioning/cost.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import type { NodeSpec } from '../../src/world/node.ts';

/*
 * Figures a mutation review found unguarded: the result's download in a split's device energy (the
 * same for every k < L, so no choice of k in the brute-force grids depended on it), and the size
 * claim's witness among variants that both hold.
 */
const { models, profiles } = loadCatalog();
const node = (name: string): NodeSpec => {
  const p = profiles.get(name)!;
  return { name: p.name, kind: p.kind, throughput: p.compute, slots: p.slots, memory: p.memory, power: p.power, trust: 1 };
};

describe('device energy of a split', () => {
  it('all remote (k = 0): radio only, 8 · (602,112 B input · 283 nJ/bit + 4,000 B result · 137 nJ/bit) = 1.367565568 J for ResNet-18', () => {
    const pi: SplitEnd = { node: node('raspberry-pi-4'), precision: 'fp32' };
    const server: SplitEnd = { node: node('edge-server-xeon'), precision: 'fp32' };
    const p = splitProfile(models.get('resnet18')!, pi, server);
    expect([p.liveBytes[0], p.resultBytes]).toEqual([3 * 224 * 224 * 4, 1000 * 4]); // fp32 input 3×224×224, 1000 logits
    // Wi-Fi radio figures of scenarios/default.yaml: 283 nJ/bit sent, 137 received.
    const cost = splitCost(p, { network: routeNetwork([{ bandwidth: 20e6, delay: 0.002 }], { tx: 283e-9, rx: 137e-9 }), serverWait: 0 }, 0);
    expect(cost.energy).toBeCloseTo(8 * 602112 * 283e-9 + 8 * 4000 * 137e-9, 12);
    expect(cost.energy).toBeCloseTo(1.367565568, 9);
  });
});

describe("the size claim's witness", () => {
  it('among variants that both hold, the one of the largest mean size reduction (its doc: "the largest mean size reduction breaking ties")', () => {
    const v = (name: string, r: number): SizeEvidence => ({ variant: name, bytes: 1 - r, referenceBytes: 1, reduction: exact(r), top1: 0.695, referenceTop1: 0.7, change: exact(-0.005), basis: 'constructed' });
    expect(sizeWitness({ subject: 's', variants: [v('a', 0.75), v('e', 0.9)] })?.variant).toBe('e');
    expect(sizeWitness({ subject: 's', variants: [v('e', 0.9), v('a', 0.75)] })?.variant).toBe('e');
  });
});

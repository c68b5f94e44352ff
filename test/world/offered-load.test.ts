import { describe, expect, it } from 'vitest';
import { overloadedLinks, overloadedNodes } from '../../src/world/offered-load.ts';
import { node, spec, workload } from './fixtures.ts';

describe('offered load known at build time', () => {
  it('names a node offered ρ = λ × work / slots ≥ 1 and a link offered ρ = λ × bits / bandwidth ≥ 1', () => {
    // Device d sends 1000 B inputs to e over an 8 kbit/s link at 1.5/s: 12 kbit/s on 8 kbit/s → ρ = 1.5;
    // results of 400 B come back: 4.8 kbit/s → ρ = 0.6. Node e computes 1 s jobs at 1.5/s on one slot → ρ = 1.5.
    const s = spec({
      nodes: [node('d'), node('e')],
      links: [{ a: 0, b: 1, bandwidth: 8000, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 }],
      workloads: [workload(0, { kind: 'poisson', rate: 1.5 })],
      targets: Int32Array.of(1),
    });
    expect(overloadedNodes(s)).toEqual([{ node: 1, rho: 1.5 }]);
    expect(overloadedLinks(s)).toEqual([{ link: 0, rho: 1.5 }]);
  });

  it('a partitioned node is judged per tenant at its share', () => {
    // One slot at 1 GFLOP/s (1 s jobs); tenant w has share 0.25 of it: 0.3/s × 1 s / 0.25 = 1.2.
    const s = spec({
      nodes: [node('d', { scheduler: 'partitioned', shares: [0.25, 0.75] })],
      workloads: [workload(0, { kind: 'poisson', rate: 0.3 })],
      targets: Int32Array.of(0),
    });
    const [o] = overloadedNodes(s);
    expect(o.tenant).toBe('w');
    expect(o.rho).toBeCloseTo(1.2, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { candidateResolver } from '../../src/policies/placement/candidates.ts';
import { PlacementError } from '../../src/policies/placement/placement.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import { Topology } from '../../src/world/topology.ts';
import { node } from '../world/fixtures.ts';

// cam-1 and cam-2 reach gw; gw reaches edge-1; edge-2 is linked to nothing.
const nodes = [node('cam-1'), node('gw', { kind: 'gateway' }), node('cam-2'), node('edge-1', { kind: 'edge' }), node('edge-2', { kind: 'edge' })];
const link = (a: number, b: number): LinkSpec => ({ a, b, bandwidth: 1e6, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 });
const view = { nodes, topology: new Topology(nodes.length, [link(0, 1), link(2, 1), link(1, 3)]), nodeIndex: (n: string) => nodes.findIndex((x) => x.name === n) };

describe('candidate sets', () => {
  it('the device tier is the issuing device itself; other tiers and names count when reachable, in scenario order', () => {
    const resolve = candidateResolver({ tiers: ['device', 'edge'], nodes: [] });
    expect(resolve(view, { device: 2, inputBytes: 1000 })).toEqual([2, 3]); // cam-2 itself, edge-1 (edge-2 unreachable)
    expect(resolve(view, { device: 0, inputBytes: 1000 })).toEqual([0, 3]);
    const named = candidateResolver({ tiers: [], nodes: ['gw', 'cam-*'] });
    // cam-1 is reached from cam-2 through gw; cam-2 is named too (cam-*), so it is its own candidate.
    expect(named(view, { device: 2, inputBytes: 1000 })).toEqual([0, 1, 2]);
    expect(() => candidateResolver({ tiers: [], nodes: ['edge-2'] })(view, { device: 0, inputBytes: 1000 })).toThrow(PlacementError);
  });
});

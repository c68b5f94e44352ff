import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

/**
 * A spec run again gives the same figures: nothing a run leaves in the spec's policies carries
 * into the next (benchmarks pair arms on one spec; a policy's books or measurements left over
 * would make the second run another one). Found 2026-11-27: EdgeCloudSim's admission kept the VMs'
 * bookings of the jobs still in flight, and EDeLeaR's allocation kept each node's measured demand.
 */
describe('a spec run twice', () => {
  const tables = (file: string, overrides: string[]) => {
    const spec = buildWorldSpec(loadScenario(fileURLToPath(new URL(`../../scenarios/${file}`, import.meta.url)), overrides), loadCatalog(), 1);
    const labels = { scenario: file, seed: 1 };
    return [JSON.stringify(summarize(simulate(spec), labels)), JSON.stringify(summarize(simulate(spec), labels))];
  };

  it('gives the same tables with admission control (EdgeCloudSim app1: VM bookings)', () => {
    const [first, second] = tables('bench/edgecloudsim-app1.yaml', ['duration=300']);
    expect(second).toBe(first);
  });

  it('gives the same tables with EDeLeaR allocation re-planning at ticks (paper scenario)', () => {
    const [first, second] = tables('paper-edelear.yaml', []);
    expect(second).toBe(first);
  });
});

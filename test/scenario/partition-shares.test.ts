import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

// A server (4 GFLOP/s, one slot) partitioned with a: 0.5 named; b also runs there; c runs only on
// another node. A job is 2 GFLOP: 0.5 s on the whole server, 1 s at a share of 0.5 (deterministic).
// The share left over (0.5) is b's: the only other tenant that can use the server. Before, c and
// learning's "processes" (the scenario trains nothing) took parts of it too: b got 1/6 under
// static (3 s a job) and a third under equal.
const dir = mkdtempSync(join(tmpdir(), 'edelear-shares-'));
const file = join(dir, 'shares.yaml');
writeFileSync(
  file,
  `name: shares
duration: 1000 s
warmup: 10 s
nodes:
  - { name: server, kind: edge, compute: { fp32: 4 GFLOP/s }, slots: 1, scheduler: { partitioned: { a: 0.5 } }, memory: 1 GiB, power: { idle: 1 W, busy: 5 W } }
  - { name: other, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 2 W } }
models:
  - { name: job, input: 1 KiB, layers: [{ name: job, flops: 2 GFLOP, output: 1 KiB }] }
workloads:
  - { name: a, on: server, model: job, arrivals: { periodic: 4 s } }
  - { name: b, on: server, model: job, arrivals: { periodic: 4 s } }
  - { name: c, on: other, model: job, arrivals: { periodic: 4 s } }
`,
);

describe('a partitioned node’s share left over', () => {
  it.each(['static', 'equal'])('goes to the tenants that can use the node, and only them (allocation %s)', (allocation) => {
    const spec = buildWorldSpec(loadScenario(file, [`policies.allocation=${allocation}`]), loadCatalog());
    // Tenants a, b, c, processes: a named 0.5 (equal: a and b, the two present, 0.5 each).
    expect(spec.nodes[0].shares).toEqual([0.5, 0.5, 0, 0]);
    const requests = summarize(simulate(spec), { scenario: 'shares', seed: 1 }).requests;
    const compute = (w: string) => Number(requests.find((r) => r.workload === w)!.compute_mean_s);
    // 2 GFLOP at 0.5 × 4 GFLOP/s: 1 s each, a and b alike.
    expect(compute('a')).toBeCloseTo(1, 9);
    expect(compute('b')).toBeCloseTo(1, 9);
  });
});

describe('a partitioned node’s share left over, with mobility and learning', () => {
  it('goes to a workload whose candidate may follow a moving device onto the node (its requests there were never served)', () => {
    const spec = buildWorldSpec(loadScenario('test/fixtures/good/partitioned-mobility.yaml'), loadCatalog());
    const edge2 = spec.nodes.findIndex((n) => n.name === 'edge-2');
    expect(spec.nodes[edge2].shares).toEqual([0.5, 0.5, 0]); // w (follows its device there), bg (named), processes
    const requests = summarize(simulate(spec), { scenario: 'fit', seed: 1 }).requests;
    expect(requests.find((r) => r.workload === 'w')!.completed).toBe(100);
  });

  it('goes to learning’s processes on the learning server and clients only', () => {
    // federated.yaml trains on the edge (server) and the numbered devices; gw is neither.
    const both = '[{ name: a, on: gw, model: mobilenet-v2, arrivals: { poisson: 1/s } }, { name: b, on: gw, model: mobilenet-v2, arrivals: { poisson: 1/s } }]';
    const loaded = loadScenario('scenarios/federated.yaml', [`workloads=${both}`, 'nodes[3].scheduler={ partitioned: { a: 0.5 } }', 'nodes[5].scheduler={ partitioned: { a: 0.2 } }']);
    const spec = buildWorldSpec(loaded, loadCatalog());
    const share = (name: string) => spec.nodes.find((n) => n.name === name)!.shares;
    expect(share('gw')).toEqual([0.5, 0.5, 0]); // a named, b runs there, no learning on gw
    expect(share('edge')).toEqual([0.2, 0, 0.8]); // a named, b never runs there, the learning server's processes
  });
});

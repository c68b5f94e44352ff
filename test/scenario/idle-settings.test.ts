import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

// Settings that change nothing in the run were accepted without a word (helper-79): each is now a
// build warning at its path (an error under --strict). The fixtures as written have none.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const catalog = loadCatalog();
const warnings = (fixture: string, set: string[] = []) => buildWorldSpec(loadScenario(join(ROOT, 'test/fixtures/good', fixture), set), catalog).buildWarnings;

describe('settings that change nothing are warned of at their path', () => {
  it('partitioning where every candidate is the issuing device (placement local): nothing to split', () => {
    expect(warnings('partitioning.yaml')).toEqual([]);
    const w = warnings('partitioning.yaml', ['policies.placement=local']);
    expect(w.map((x) => x.path)).toEqual(['policies.partitioning']);
    expect(w[0].message).toBe('nothing to split: no workload may send a request off its device (every candidate is the issuing device itself, as under placement local), so partitioning "edelear" changes nothing and partitioning.csv is not written');
  });

  it('an allocation where no node is partitioned: nothing to allocate (under allocation none a partitioned entry still counts)', () => {
    expect(warnings('minimal.yaml')).toEqual([]);
    const w = warnings('minimal.yaml', ['policies.allocation=static']);
    expect(w.map((x) => x.path)).toEqual(['policies.allocation']);
    expect(w[0].message).toMatch(/^no node is partitioned .*, so allocation "static" has nothing to allocate and changes nothing$/);
    expect(warnings('partitioning-tenants.yaml', ['policies.allocation=none']).map((x) => x.path)).not.toContain('policies.allocation');
  });

  it('no workload and no learning section: nothing to simulate', () => {
    const w = warnings('minimal.yaml', ['workloads=[]']);
    expect(w.map((x) => x.path)).toEqual(['workloads']);
    expect(w[0].message).toMatch(/^no workload and no learning section: the run generates no request/);
  });

  it('a model of 0 FLOP that a workload runs: requests compute in no time', () => {
    const w = warnings('partitioning.yaml', ['models[0].layers[0].flops=0', 'models[0].layers[1].flops=0', 'models[0].layers[2].flops=0']);
    expect(w.map((x) => x.path)).toContain('workloads[0].model');
    expect(w.find((x) => x.path === 'workloads[0].model')!.message).toMatch(/^model \S+ has 0 FLOP in all its layers: its requests compute in 0 s and 0 J/);
    // One layer of 0 FLOP among others (a reshape) is no slip.
    expect(warnings('partitioning.yaml', ['models[0].layers[0].flops=0']).map((x) => x.path)).not.toContain('workloads[0].model');
  });
});

describe('a cache counted in bytes', () => {
  it('smaller than every result a keyed workload returns is warned of at its capacity: it admits nothing (helper-86); one that holds a result is not', () => {
    const w = warnings('caching.yaml', ['nodes[1].cache.capacity=10 B']);
    expect(w.map((x) => x.path)).toEqual(['nodes[1].cache.capacity']);
    expect(w[0].message).toMatch(/^10 B holds no result \(the smallest a workload with inputs returns is \d+ B\): the cache admits nothing/);
    expect(warnings('caching.yaml', ['nodes[1].cache.capacity=1 MB'])).toEqual([]);
  });

  it('smaller than every result of the requests that pass it is warned of, though another workload returns less elsewhere (helper-87 #5: it was compared with every keyed workload)', () => {
    // cam → gw → edge returns 1 kB results; cam2 → edge (not through gw) returns 100 B. A 500 B cache at gw
    // holds none of the results that pass it; at the edge it holds cam2's.
    const dir = mkdtempSync(join(tmpdir(), 'edelear-reach-'));
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      readFileSync(join(ROOT, 'test/fixtures/good/caching.yaml'), 'utf8')
        .replace('nodes:\n', 'nodes:\n  - { name: cam2, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GiB, power: { idle: 1 W, busy: 2 W } }\n')
        .replace('links:\n', 'links:\n  - { between: [cam2, edge], bandwidth: 8 Mbit/s, delay: 1 ms }\n')
        .replace('models:\n', 'models:\n  - { name: small, input: 10 kB, layers: [{ name: l, flops: 1 GFLOP, output: 100 B }] }\n')
        .replace('workloads:\n', 'workloads:\n  - { name: w2, on: cam2, model: small, arrivals: { periodic: 1 s }, inputs: { zipf: 0, catalog: 1 } }\n'),
    );
    const at = (set: string[]) => buildWorldSpec(loadScenario(file, set), catalog).buildWarnings.map((x) => [x.path, x.message]);
    expect(at([])).toEqual([]);
    // nodes[2] is gw, nodes[3] the edge (cam2 is first).
    expect(at(['nodes[2].cache.capacity=500 B'])).toEqual([['nodes[2].cache.capacity', '500 B holds no result of the requests that pass it (the smallest they return is 1000 B): the cache admits nothing, and every lookup still takes its time and energy']]);
    expect(at(['nodes[3].cache.capacity=500 B'])).toEqual([]);
    expect(at(['nodes[3].cache.capacity=50 B']).map(([p]) => p)).toEqual(['nodes[3].cache.capacity']);
  });
});

describe('a node that holds the weights but not a request beside them', () => {
  it('is warned of: every request there would be dropped as memory-full (helper-87: accepted, and 53 of 53 requests dropped)', () => {
    // minimal.yaml: MobileNetV2 (14,019,488 B of fp32 weights) on the edge, a 150 KiB input and 4,816,896 B of peak activations.
    expect(warnings('minimal.yaml').filter((w) => w.message.includes('memory-full'))).toEqual([]);
    const w = warnings('minimal.yaml', ['nodes[1].memory=15000000']);
    expect(w.map((x) => [x.path, x.message])).toEqual([
      ['workloads[0].model', 'node edge (15000000 B of memory) cannot hold a request of classify beside the weights placed there: 14019488 B of weights + 153600 B of input + 4816896 B of activations = 18989984 B, so every request computed there is dropped as memory-full'],
    ]);
    expect(warnings('minimal.yaml', ['nodes[1].memory=18989984'])).toEqual([]);
  });
});

describe('privacy levels and admission that limit nothing (helper-88)', () => {
  it('a privacy level where every node keeps the default trust of 1 is warned of; one node trusted less silences it', () => {
    const lp = ['policies.placement={ lp: { tier: [device, edge], privacy: 0.5 } }'];
    expect(warnings('minimal.yaml', lp).map((x) => [x.path, x.message])).toEqual([
      ['policies.placement.lp.privacy', 'no node declares a trust below 1 (nodes[].trust, default 1), so every node may hold the data and privacy 0.5 limits nothing'],
    ]);
    expect(warnings('minimal.yaml', [...lp, 'nodes[1].trust=0.9'])).toEqual([]);
  });

  it('admission on a node whose kind no workload declares a utilization for is warned of and governs nothing (its queue is judged as any other)', () => {
    const set = ['nodes[1].admission={ policy: declared-utilization, capacity: 100 }'];
    const spec = buildWorldSpec(loadScenario(join(ROOT, 'test/fixtures/good/minimal.yaml'), set), catalog);
    expect(spec.buildWarnings.map((x) => x.path)).toEqual(['nodes[1].admission']);
    expect(spec.buildWarnings[0].message).toMatch(/^no workload declares a vmUtilization for a node of kind edge .* books nothing and refuses nothing/);
    expect(spec.admission).toBeUndefined(); // no node it could refuse at: the run pays nothing, and saturation judges the edge
    const declared = buildWorldSpec(loadScenario(join(ROOT, 'test/fixtures/good/minimal.yaml'), [...set, 'workloads[0].vmUtilization={ edge: 10 }']), catalog);
    expect(declared.buildWarnings).toEqual([]);
    expect(declared.admission?.governs(declared.nodes.findIndex((n) => n.name === 'edge'))).toBe(true);
  });
});

describe('a monitoring interval no shorter than the run', () => {
  it('is warned of: no tick comes, nothing is re-decided (helper-88: an allocation that never re-allocated, in silence)', () => {
    const w = warnings('minimal.yaml', ['policies.interval=10 s']);
    expect(w.map((x) => [x.path, x.message])).toEqual([['policies.interval', '10 s is not shorter than the run (10 s): no tick comes before its end, so what is re-decided at ticks (the allocation’s shares, lp plans, model partitioning’s splits, least-loaded choices) stays as the run starts']]);
    expect(warnings('minimal.yaml', ['policies.interval=5 s'])).toEqual([]);
  });
});

describe('a declared VM utilization above what an admitting node holds', () => {
  it('is warned of at the figure: every request of that workload there is refused (helper-88: accepted in silence)', () => {
    const set = ['nodes[1].admission={ policy: declared-utilization, capacity: 100 }'];
    const over = warnings('minimal.yaml', [...set, 'workloads[0].vmUtilization={ edge: 150 }']);
    expect(over.map((x) => [x.path, x.message])).toEqual([['workloads[0].vmUtilization.edge', '150 is more than a VM of edge holds (admission capacity 100): every request of this workload there is refused, dropped as vm-capacity']]);
    expect(warnings('minimal.yaml', [...set, 'workloads[0].vmUtilization={ edge: 100 }'])).toEqual([]);
  });
});

describe('mobility that moves nothing', () => {
  const RWP = 'mobility={ model: random-waypoint, area: { width: 1000, height: 0 }, speed: { min: 1, max: 2 }, range: 600 m, accessPoints: [{ node: ap-1, at: [0, 0] }, { node: ap-2, at: [1000, 0] }] }';
  it('one place, an attachment check no sooner than the end, and attractiveness that next does not read are warned of at their paths (helper-90: accepted, 0 moves, even under --strict)', () => {
    expect(warnings('partitioned-mobility.yaml')).toEqual([]);
    expect(warnings('partitioned-mobility.yaml', [RWP])).toEqual([]);
    const one = warnings('partitioned-mobility.yaml', ['mobility.places=[{ accessPoint: ap-1, type: A }]']);
    expect(one.map((x) => [x.path, x.message, x.idle])).toEqual([['mobility.places', 'there is one place (ap-1): a device has nowhere else to go, so none moves (0 moves); expected two places or more', true]]);
    const late = warnings('partitioned-mobility.yaml', [RWP, 'mobility.update=101 s']);
    expect(late.map((x) => [x.path, x.message])).toEqual([['mobility.update', "the first attachment check comes at 101 s, after the run's end (100 s): no device changes access point (0 moves); expected an update no longer than the run (default 1 s)"]]);
    // A check at the end itself still runs, and may move a device (helper-92).
    expect(warnings('partitioned-mobility.yaml', [RWP, 'mobility.update=100 s'])).toEqual([]);
    const weight = warnings('partitioned-mobility.yaml', ['mobility.placeTypes[0].attractiveness=5']);
    expect(weight.map((x) => [x.path, x.message])).toEqual([['mobility.placeTypes[0].attractiveness', "only next: by-attractiveness reads a place type's attractiveness, and next is uniform-other: this 5 changes nothing"]]);
    expect(warnings('partitioned-mobility.yaml', ['mobility.placeTypes[0].attractiveness=5', 'mobility.next=by-attractiveness'])).toEqual([]);
  });
});

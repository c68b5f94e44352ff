import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { ResultCaches } from '../../src/world/caches.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HAND = 'test/fixtures/good/partitioning.yaml';
const catalog = loadCatalog();

function run(file: string, overrides: string[] = [], trace = false) {
  const spec = buildWorldSpec(loadScenario(join(ROOT, file), overrides), catalog);
  const result = simulate(spec, { trace });
  return { spec, result, trace: result.metrics.trace ?? [], part: result.world.partitioning };
}

// Trace columns: 3 node, 7 latency, 8 node wait, 9 link wait, 10 transfer, 11 compute, 12 energy.
describe('one split request by hand (test/fixtures/good/partitioning.yaml): cam —10 Mbit/s, 1 ms— edge', () => {
  const { trace, result, part } = run(HAND, [], true);

  it('edelear splits after layer a (k = 1) and the request costs the hand sum', () => {
    expect(part?.splitOf[0]).toBe(1);
    const [r] = trace;
    // cam computes a: 0.1 GFLOP at 1 GFLOP/s = 0.1 s; a's output 10 kB up: 80,000 bit / 10 Mbit/s + 1 ms
    // = 0.009 s; edge computes b and c: 2 GFLOP at 10 GFLOP/s = 0.2 s; the 1 kB result down:
    // 8,000 bit / 10 Mbit/s + 1 ms = 0.0018 s. Latency = 0.1 + 0.009 + 0.2 + 0.0018 = 0.3108 s.
    expect(r[3]).toBe('edge');
    expect(r[7]).toBeCloseTo(0.3108, 12);
    expect(r[10]).toBeCloseTo(0.009 + 0.0018, 12);
    expect(r[11]).toBeCloseTo(0.1 + 0.2, 12);
    // Request energy: cam compute 2 W × 0.1 s = 0.2 J, its radio 80,000 bit × 100 nJ + 8,000 bit × 50 nJ
    // = 0.0084 J; edge compute 10 W × 0.2 s = 2 J, its radio 80,000 × 50 nJ + 8,000 × 100 nJ = 0.0048 J.
    expect(r[12]).toBeCloseTo(0.2 + 0.0084 + 2 + 0.0048, 12);
  });

  it("the device's energy is its part's compute and its radio (no idle power in the fixture)", () => {
    expect(result.world.energy(0)).toBeCloseTo(0.2 + 0.008 + 0.0004, 12); // 0.2084 J
    expect(result.world.energy(1)).toBeCloseTo(2 + 0.004 + 0.0008, 12); // 2.0048 J
    expect(result.world.meters.totals[0].served).toBe(1);
    expect(result.world.meters.totals[1].served).toBe(1);
  });

  it('all-remote is the plan without partitioning: the 1 MB input up (0.801 s), 0.21 s at the edge, 0.0018 s down', () => {
    const { trace: t, part: p } = run(HAND, ['policies.partitioning=all-remote'], true);
    expect(p?.splitOf[0]).toBe(0);
    expect(t[0][7]).toBeCloseTo(0.801 + 0.21 + 0.0018, 12);
    const { trace: none } = run(HAND, ['policies.partitioning=null'], true);
    expect(none[0]).toEqual(t[0]);
  });

  it('all-local runs the whole model on the camera: 2.1 GFLOP at 1 GFLOP/s, nothing sent', () => {
    const { trace: t, result: r } = run(HAND, ['policies.partitioning=all-local'], true);
    expect(t[0][3]).toBe('cam');
    expect(t[0][7]).toBeCloseTo(2.1, 12);
    expect(t[0][12]).toBeCloseTo(4.2, 12); // 2 W × 2.1 s
    expect(r.world.meters.totals[1].served).toBe(0);
  });
});

describe('the chosen split moves from all remote to all local as the access link slows', () => {
  // latency(k) = device(k) + [k < 3](8·live(k)/B + 0.002 + server(k) + 8,000/B), live = 1 MB, 10 kB, 100 kB;
  // device 0, 0.1, 1.1, 2.1 s; server 0.21, 0.2, 0.1 s. k = 1 beats k = 0 once 7,920,000 bit / B > 0.01 s + 0.08 bit... :
  // 1 Gbit/s: k0 0.220 < k1 0.302; 100 Mbit/s: k0 0.2921 < k1 0.3029; 10 Mbit/s: k1 0.3108 (k0 1.0128);
  // 1 Mbit/s: k1 0.39; 100 kbit/s: k1 1.182 < local 2.1; 10 kbit/s: k1 9.1 > local 2.1.
  const bandwidths = ['1 Gbit/s', '100 Mbit/s', '10 Mbit/s', '1 Mbit/s', '100 kbit/s', '10 kbit/s', '1 kbit/s'];
  const splitAt = (bw: string, extra: string[] = []) => run(HAND, [`links[0].bandwidth=${bw}`, ...extra]).part!.splitOf[0];

  it('edelear: 0, 0, 1, 1, 1, 3, 3', () => {
    expect(bandwidths.map((b) => splitAt(b))).toEqual([0, 0, 1, 1, 1, 3, 3]);
  });

  it('a device with parallel: false only runs all or nothing: 0 while 1.0128 s remote beats 2.1 s local, then 3', () => {
    // k = 0 at B: 8,008,000 bit / B + 0.212 s ≤ 2.1 s while B ≥ 4.24 Mbit/s.
    expect(bandwidths.map((b) => splitAt(b, ['nodes[0].parallel=false']))).toEqual([0, 0, 0, 3, 3, 3, 3]);
  });

  it('energy objective: the camera spends least sending a (0.2084 J) — k = 1 at every bandwidth (J/bit does not move with it)', () => {
    // Device energy: k0 8,000,000 bit × 100 nJ + 0.0004 = 0.8004 J; k1 0.2 + 0.008 + 0.0004 = 0.2084 J;
    // k2 2.2 + 0.08 + 0.0004 = 2.2804 J; k3 2 W × 2.1 s = 4.2 J.
    const obj = 'policies.partitioning={ edelear: { objective: energy } }';
    expect(bandwidths.map((b) => splitAt(b, [obj]))).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('re-decided at every policies.interval from the measured queue', () => {
  it('an overloaded edge server drives requests back onto the camera; without an interval the split stays', () => {
    // A request every 0.15 s: split at k = 1 the edge needs 0.2 s each (ρ = 1.33), so its queue grows;
    // once (jobs)·0.2 s of expected wait outweighs the 1.79 s a local run costs more, k = 3.
    const load = ['workloads[0].arrivals={ periodic: 0.15 s }', 'duration=60 s'];
    const ticking = run(HAND, [...load, 'policies.interval=1 s']).part!;
    expect(ticking.split[0]).toBeGreaterThan(0);
    expect(ticking.local[0]).toBeGreaterThan(0);
    const once = run(HAND, load).part!;
    expect(once.split[0]).toBe(once.born[0]);
    expect(once.local[0]).toBe(0);
  });
});

describe('result caches keep working before a split plan', () => {
  it("a hit on the camera's own cache saves the whole split plan: 0.3108 s and 2.2132 J", () => {
    const { result, trace } = run(
      HAND,
      ['nodes[0].cache={ capacity: 10, policy: lru }', 'workloads[0].inputs={ zipf: 0, catalog: 1 }', 'workloads[0].arrivals={ periodic: 1 s }', 'duration=3.5 s'],
      true,
    );
    expect(trace.map((r) => r[7] as number)).toEqual([expect.closeTo(0.3108, 12), 0, 0, 0]);
    const [cam] = (result.world.spec.cache as ResultCaches).stats();
    expect([cam.lookups, cam.hits]).toEqual([4, 3]);
    expect(cam.latencySaved).toBeCloseTo(3 * 0.3108, 12);
    expect(cam.energySaved).toBeCloseTo(3 * 2.2132, 12);
  });
});

describe('all-remote equals the run without partitioning, figure for figure', () => {
  for (const [file, extra] of [
    ['scenarios/default.yaml', ['duration=60 s']],
    ['test/fixtures/good/compare.yaml', ['policies.placement={ least-loaded: { tier: [device, edge, cloud] } }', 'policies.interval=5 s']],
  ] as const) {
    it(`${file}`, () => {
      const tables = (o: string[]) => {
        const r = run(file, [...extra, ...o]);
        const t = summarize(r.result, { scenario: 'x', seed: 1 });
        return { requests: t.requests, nodes: t.nodes, links: t.links, run: t.run };
      };
      expect(tables(['policies.partitioning=all-remote'])).toEqual(tables([]));
    });
  }

  it('edelear on a zoo model (MobileNetV2 on default.yaml) conserves requests and splits where the envelope says', () => {
    const { result, part, spec } = run('scenarios/default.yaml', ['duration=60 s', 'policies.partitioning=edelear', 'policies.interval=5 s']);
    expect(result.world.completedCount).toBeGreaterThan(0);
    expect(part).toBeDefined();
    for (let p = 0; p < spec.placement.candidates.length; p++) expect(part!.splitOf[p]).toBeGreaterThanOrEqual(0);
  });
});

describe('bad partitioning settings', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const cases: [string, RegExp][] = [
    ['policies.partitioning=neurosurgeon', /policies\.partitioning: expected one of edelear, all-local, all-remote/],
    ['policies.partitioning={ edelear: { objective: speed } }', /policies\.partitioning/],
    ['policies.partitioning={ edelear: { objective: { latency: 0, energy: 0 } } }', /policies\.partitioning/],
    ['policies.partitioning={ edelear: { objective: { latency: -1 } } }', /policies\.partitioning/],
    ['policies.partitioning={ edelear: { k: 3 } }', /policies\.partitioning/],
    ['nodes[0].parallel=sometimes', /nodes\[0\]\.parallel: /],
  ];
  for (const [set, message] of cases) {
    it(`--set ${set}: exit 2 naming the path`, () => {
      const r = cli('validate', HAND, '--set', set);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it('edelear run writes partitioning.csv: the split, its layer, the bytes sent and the share split', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-partitioning-'));
    try {
      const r = cli('run', HAND, '--out', out, '--no-charts', '--quiet');
      expect(r.status).toBe(0);
      const [header, row] = readFileSync(join(out, 'partitioning.csv'), 'utf8').trim().split('\n');
      expect(header).toBe('scenario,seed,workload,server,policy,pairs,parallel,layers,k_at_end,layer_at_end,bytes_sent_at_end,requests,split_share,local_share,remote_share,k_mean,bytes_sent_mean');
      expect(row).toBe('partitioning,1,w,edge,edelear,1,yes,3,1,a,10000,1,1,0,0,1,10000');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

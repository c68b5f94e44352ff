import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCommand } from '../../src/cli/compare.ts';
import { candidateSubject, claimsReport, paperTable1, TABLE1_DEFAULT, wantsPaperTables } from '../../src/cli/paper.ts';
import { compressModel } from '../../src/policies/compression/model-size.ts';
import { table1 } from '../../src/policies/compression/table1.ts';
import { FP32, INT8 } from '../../src/policies/compression/variant.ts';
import { DEFAULT_COMPRESSION_CANDIDATES } from '../../src/scenario/schema.ts';
import { CLAIM_COLUMNS, EDELEAR_PAPER, LATENCY_CLAIM, latencyRowKind, SIZE_CLAIM } from '../../src/metrics/claims.ts';
import { TABLE2_COLUMNS, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE5_COLUMNS } from '../../src/metrics/paper-tables.ts';
import { PAPER_STUDY_COLUMNS, PAPER_TABLE1_COLUMNS } from '../../src/report/paper-tables.ts';
import { PIPELINING_COLUMNS } from '../../src/metrics/pipelining.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const SCENARIO = 'scenarios/paper-edelear.yaml';
const dir = mkdtempSync(join(tmpdir(), 'edelear-paper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(join(dir, file), 'utf8'), { columns: true });
}

function header(file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').split('\n')[0].split(',');
}

describe('scenarios/paper-edelear.yaml', () => {
  it("validates: the paper's four devices, an edge server and a cloud, EDeLeaR's three policies", () => {
    const loaded = loadScenario(SCENARIO);
    const spec = buildWorldSpec(loaded, loadCatalog());
    expect(spec.nodes.map((n) => n.name)).toEqual(['dev-1', 'dev-2', 'dev-3', 'dev-4', 'edge', 'cloud']);
    // Available capacity C × the Raspberry Pi 4's 7.56 GFLOP/s; demand D × 7.56 GFLOP/s of MobileNetV2 requests.
    expect(spec.nodes.slice(0, 4).map((n) => n.throughput.fp32! / 7.56e9)).toEqual([0.4, 0.3, 0.5, 0.2].map((c) => expect.closeTo(c, 12)));
    expect(spec.workloads.map((w) => (w.arrivals.kind === 'poisson' ? (w.arrivals.rate * w.model.flops) / 7.56e9 : NaN))).toEqual([0.3, 0.5, 0.2, 0.4].map((d) => expect.closeTo(d, 3)));
    expect(loaded.scenario.policies).toMatchObject({ allocation: 'edelear', compression: { policy: 'edelear' }, interval: 5 });
    // Table 4: each device's link delay 10 / 15 / 20 / 12 ms; caches and adaptive batchers (max 32 / 16 / – / 64) on devices 1, 2 and 4, none on device 3.
    expect([0, 1, 2, 3].map((k) => spec.links.filter((l) => l.a === k || l.b === k).map((l) => l.delay))).toEqual([[0.01], [0.015], [0.02], [0.012]]);
    const nodes = loaded.scenario.nodes.slice(0, 4);
    expect(nodes.map((n) => n.cache?.policy)).toEqual(['edelear', 'edelear', undefined, 'edelear']);
    expect(nodes.map((n) => (typeof n.scheduler === 'object' && 'batching' in n.scheduler ? [n.scheduler.batching.policy, n.scheduler.batching.max] : n.scheduler))).toEqual([['adaptive', 32], ['adaptive', 16], 'fcfs', ['adaptive', 64]]);
    // The caching efficiency is measured, never set: the workloads declare an input popularity, nothing declares a hit ratio.
    expect(loaded.scenario.workloads.map((w) => w.inputs)).toEqual(Array(4).fill({ zipf: 0.8, catalog: 10000 }));
    expect(wantsPaperTables(loaded.scenario)).toBe(true);
    expect(wantsPaperTables(loadScenario('test/fixtures/good/compare.yaml').scenario)).toBe(false);
  });
});

describe("the paper's Table 1 and claim 1 on a zoo model", () => {
  const mobilenet = loadCatalog().models.get('mobilenet-v2')!;

  it('Table 1 is table1() of the model at the most pruned variant EDeLeaR deployed, else 50 % in CSR and 256 levels', () => {
    const plain = paperTable1(mobilenet, [{ workload: 'w', variant: 'fp32' }]);
    expect(plain.map((r) => [r.layer, r.original_MB, r.pruned_MB, r.quantized_MB])).toEqual(
      table1(mobilenet, TABLE1_DEFAULT.pruning, TABLE1_DEFAULT.quantization).map((r) => [r.layer, r.original_MB, r.pruned_MB, r.quantized_MB]),
    );
    expect(plain[0]).toMatchObject({ model: 'mobilenet-v2', pruning: '50% magnitude, csr', quantization: '256 levels' });
    const deployed = paperTable1(mobilenet, [{ variant: 'p50-int8' }, { variant: 'p75-int8' }, { variant: 'int8' }]);
    const total = deployed[deployed.length - 1];
    const p75 = table1(mobilenet, { sparsity: 0.75, format: 'csr' }, { levels: 256 });
    expect([total.layer, total.pruned_MB, total.quantized_MB]).toEqual(['total', p75[p75.length - 1].pruned_MB, p75[p75.length - 1].quantized_MB]);
    expect(total.note).toContain('p75-int8');
  });

  it('claim 1 on the candidates: stored sizes from the zoo file, top-1 changes from the cited profile (exact)', () => {
    const subject = candidateSubject(mobilenet, loadCatalog(), DEFAULT_COMPRESSION_CANDIDATES);
    expect(subject.variants.map((v) => v.variant)).toEqual(DEFAULT_COMPRESSION_CANDIDATES.filter((v) => v.name !== 'fp32').map((v) => v.name));
    const int8 = subject.variants.find((v) => v.variant === 'int8')!;
    const fp32Bytes = compressModel(mobilenet, FP32).bytes;
    expect(int8.reduction.mean).toBe(1 - compressModel(mobilenet, INT8).bytes / fp32Bytes);
    expect([int8.reduction.low, int8.reduction.high]).toEqual([int8.reduction.mean, int8.reduction.mean]);
    // data/accuracy/mobilenet-v2.json: the lowest published int8 change, NNCF's 71.07 against its 71.87: −0.80 point.
    expect(int8.change.mean).toBeCloseTo(-0.008, 12);
    expect(int8.referenceTop1).toBe(0.71878);
    // 90 % sparsity lies beyond every published point: its estimate has no interval.
    expect(Number.isNaN(subject.variants.find((v) => v.variant === 'p90')!.change.low)).toBe(true);
  });
});

describe('edelear compare on the paper scenario (2 seeds, 60 s, the study trained for 1 epoch)', () => {
  beforeAll(async () => {
    await compareCommand(SCENARIO, {
      set: ['duration=60 s', 'warmup=10 s'],
      out: dir,
      replications: 2,
      quiet: true,
      strict: false,
      charts: false,
      study: { epochs: 1, batchSize: 32, lr: 0.1 },
    });
  }, 120_000);

  it('writes every file, each table with its columns and a source on every row', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(['compare.csv', 'compare_runs.csv', 'compare_latency.csv', 'table1.csv', 'table2.csv', 'table3.csv', 'table4.csv', 'table5.csv', 'pipelining.csv', 'compression_study.csv', 'claims.csv', 'warnings.txt', 'manifest.json']);
    // The arms' warnings kept (all-local overloads devices 2 and 4 before it runs).
    expect(readFileSync(join(dir, 'warnings.txt'), 'utf8')).toMatch(/^arm all-local: node dev-2 is offered more work than it can do/m);
    const expected: [string, readonly string[]][] = [
      ['table1.csv', PAPER_TABLE1_COLUMNS],
      ['table2.csv', TABLE2_COLUMNS],
      ['table3.csv', TABLE3_COLUMNS],
      ['table4.csv', TABLE4_COLUMNS],
      ['table5.csv', TABLE5_COLUMNS],
      ['pipelining.csv', PIPELINING_COLUMNS],
      ['compression_study.csv', PAPER_STUDY_COLUMNS],
      ['claims.csv', CLAIM_COLUMNS],
    ];
    for (const [file, columns] of expected) {
      expect(header(file), file).toEqual([...columns]);
      const rows = csv(file);
      expect(rows.length, file).toBeGreaterThan(0);
      for (const r of rows) expect(r.source, file).not.toBe('');
    }
    // Every paper table and claim names the paper as edelear-paper.md says to cite it.
    for (const file of ['table1.csv', 'table2.csv', 'table3.csv', 'table4.csv', 'table5.csv', 'pipelining.csv', 'claims.csv']) for (const r of csv(file)) expect(r.source).toContain(EDELEAR_PAPER);
  });

  it("Table 4 per device: the link delays as set, and the caching efficiency and batch size measured (the EDeLeaR arm's caches.csv and batching.csv figures)", () => {
    const t4 = csv('table4.csv');
    // Parallelization enabled / enabled / disabled / enabled: device 3's `parallel: false`, under EDeLeaR's partitioning.
    expect(t4.map((r) => [r.parallelization, r.partitioning_policy])).toEqual([0, 1, 2, 3].map((i) => [i === 2 ? 'disabled' : 'enabled', 'edelear (latency)']));
    expect(t4.map((r) => [r.workload, r.devices, r.network_latency_s, r.cache_policy, r.batching_policy, r.max_batch_size, r.n])).toEqual([
      ['classify-1', 'dev-1', '0.01', 'edelear', 'adaptive', '32', '2'],
      ['classify-2', 'dev-2', '0.015', 'edelear', 'adaptive', '16', '2'],
      ['classify-3', 'dev-3', '0.02', '', '', '', '2'],
      ['classify-4', 'dev-4', '0.012', 'edelear', 'adaptive', '64', '2'],
    ]);
    // Device 3 has no cache and no batcher: its caching efficiency and batch size are blank (the paper's "–"), nothing served from a cache.
    expect([t4[2].caching_efficiency_mean, t4[2].batch_size_mean, t4[2].served_from_cache_share_mean]).toEqual(['', '', '0']);
    for (const r of [t4[0], t4[1], t4[3]]) {
      const e = Number(r.caching_efficiency_mean);
      expect(e).toBeGreaterThan(0);
      expect(e).toBeLessThan(1);
      expect(Number(r.caching_efficiency_ci95_low)).toBeLessThanOrEqual(e);
      // Every lookup of a device's requests starts at its own cache, so the share served from a cache is its hit ratio (up to requests still in flight).
      expect(Number(r.served_from_cache_share_mean)).toBeCloseTo(e, 2);
      if (r.batch_size_mean !== '') {
        expect(Number(r.batch_size_mean)).toBeGreaterThanOrEqual(1);
        expect(Number(r.batch_size_mean)).toBeLessThanOrEqual(Number(r.max_batch_size));
      }
    }
  });

  it('pipelining.csv: per workload its pipeline over the issuing devices, device 3 (parallel: false) running the whole model and ending the other chains', () => {
    const rows = csv('pipelining.csv');
    const pipelines = rows.filter((r) => r.plan === 'pipeline');
    expect(pipelines.map((r) => [r.workload, r.chain, r.parallel])).toEqual([
      ['classify-1', 'dev-1, dev-2, dev-3, dev-4', 'dev-1: yes; dev-2: yes; dev-3: no; dev-4: yes'],
      ['classify-2', 'dev-2, dev-1, dev-3, dev-4', 'dev-2: yes; dev-1: yes; dev-3: no; dev-4: yes'],
      ['classify-3', 'dev-3, dev-1, dev-2, dev-4', 'dev-3: no; dev-1: yes; dev-2: yes; dev-4: yes'],
      ['classify-4', 'dev-4, dev-1, dev-2, dev-3', 'dev-4: yes; dev-1: yes; dev-2: yes; dev-3: no'],
    ]);
    // Device 3 runs classify-3's model whole; in the other chains the pipeline stops before it.
    expect(pipelines[2]).toMatchObject({ stages: 'dev-3: layers 1–54 (whole model)', devices_used: '1', note: 'dev-3 has parallel: false: it runs the whole model (no pipeline)' });
    for (const r of [pipelines[0], pipelines[1], pipelines[3]]) {
      expect(r.note).toMatch(/^dev-3 has parallel: false: the chain ends before it/);
      expect(r.stages).not.toContain('dev-3');
      expect(Number(r.devices_used)).toBeGreaterThan(1);
      // Stages in the chain's order, covering layers 1–54 contiguously.
      expect(r.stages).toMatch(/^dev-\d: layers 1–\d+; (dev-\d: \d+–\d+; )*dev-\d: \d+–54$/);
      expect(Number(r.throughput_per_s)).toBeCloseTo(1 / Number(r.bottleneck_s), 9);
    }
    // Each device alone: MobileNetV2's 601,548,544 FLOP at the device's fp32 compute (C × 7.56 GFLOP/s), one slot;
    // the single-device baseline is the fastest, device 3 (C = 50 %).
    const alone = rows.filter((r) => r.workload === 'classify-1' && r.plan === 'device alone');
    expect(alone.map((r) => [r.chain, r.parallel])).toEqual([['dev-1', 'yes'], ['dev-2', 'yes'], ['dev-3', 'no'], ['dev-4', 'yes']]);
    alone.forEach((r, k) => expect(Number(r.latency_s)).toBeCloseTo(601_548_544 / ([0.4, 0.3, 0.5, 0.2][k] * 7.56e9), 12));
    expect(alone[2].note).toBe('dev-3 has parallel: false: it runs the whole model');
    for (const r of rows) {
      expect(r.single_device).toBe('dev-3');
      expect(Number(r.throughput_speedup)).toBeCloseTo(Number(r.throughput_per_s) / Number(r.single_device_throughput_per_s), 12);
      expect(r.source).toContain('not simulated');
    }
  });

  it('Table 1 lists MobileNetV2 per layer with a total; Table 2 the four tenants of the edge; Table 3 four devices × three nodes; Table 5 every arm × device', () => {
    const t1 = csv('table1.csv');
    expect(t1[t1.length - 1]).toMatchObject({ model: 'mobilenet-v2', layer: 'total', original_MB: '14.019488' });
    expect(csv('table2.csv').map((r) => [r.node, r.tenant, r.n])).toEqual(['classify-1', 'classify-2', 'classify-3', 'classify-4'].map((t) => ['edge', t, '2']));
    const t3 = csv('table3.csv');
    expect(t3).toHaveLength(12);
    for (const w of ['classify-1', 'classify-2', 'classify-3', 'classify-4']) {
      expect(t3.filter((r) => r.workload === w).reduce((a, r) => a + Number(r.fraction_mean), 0)).toBeCloseTo(1, 9);
    }
    const arms = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).comparison.arms.map((a: { name: string }) => a.name);
    expect(csv('table5.csv').map((r) => `${r.arm}/${r.workload}`)).toEqual(arms.flatMap((a: string) => ['classify-1', 'classify-2', 'classify-3', 'classify-4'].map((w) => `${a}/${w}`)));
    // EDeLeaR's lp placement respects the privacy levels; the all-cloud baseline sends devices 2 and 4 where they may not go.
    const t5 = csv('table5.csv');
    for (const r of t5.filter((x) => x.arm === 'EDeLeaR')) expect(r.untrusted_share_mean).toBe('0');
    expect(t5.filter((x) => x.arm === 'all-cloud').map((r) => r.untrusted_share_mean)).toEqual(['0', '1', '0', '1']);
  });

  it('claims.csv judges claim 1 on three subjects, and claim 2 against the whole baseline systems (each, every, their mean), then every component baseline', () => {
    const claims = csv('claims.csv');
    const size = claims.filter((r) => r.claim === SIZE_CLAIM.claim);
    expect(size).toHaveLength(9);
    expect(size.map((r) => r.threshold_fraction)).toEqual(['0.7', '-0.01', '', '0.7', '-0.01', '', '0.7', '-0.01', '']);
    expect(size[2].measured).toContain('mobilenet-v2');
    expect(size[5].measured).toContain('what EDeLeaR deployed');
    expect(size[8].measured).toContain('MLP');
    const latency = claims.filter((r) => r.claim === LATENCY_CLAIM.claim);
    const placements = ['all-local', 'nearest-edge', 'all-cloud', 'least-loaded', 'random', 'round-robin'];
    // First the whole baseline systems (what the claim is judged on), every one, the mean over them; then the component baselines.
    expect(latency.map((r) => /^(\S+?): /.exec(r.baseline)?.[1] ?? r.baseline.split(':')[0])).toEqual([
      ...placements.map((p) => `baseline:${p}`),
      'all 6 whole baseline systems',
      'the mean over 6 whole baseline systems',
      ...placements,
      'allocation-equal',
      'allocation-static',
      'allocation-none',
      'all 9 component baselines',
    ]);
    expect(latency.map((r) => latencyRowKind(r)?.kind)).toEqual([...Array(8).fill('whole'), ...Array(10).fill('component')]);
    for (const r of [...size, ...latency]) expect(['holds', 'does not hold', 'inconclusive']).toContain(r.verdict);
    for (const r of latency) expect(Number(r.n)).toBe(2);
    // The "measured against" cell names the whole system: its placement, allocation none, compression none.
    expect(latency[2].baseline).toMatch(/^baseline:all-cloud: a whole baseline system, no EDeLeaR component: placement \{ fixed: "cloud" \}, .*; allocation none, .*; compression none, the model as declared \(uncompressed; fp32 unless the workload declares another precision\) on every node/);
    // Each whole baseline's margin is 1 − EDeLeaR / baseline of compare_runs.csv's latency_mean_s seed by seed, and the mean row
    // averages those over the six baselines within each seed.
    const runs = csv('compare_runs.csv');
    const latencyOf = (arm: string) => runs.filter((r) => r.arm === arm).map((r) => Number(r.latency_mean_s));
    const edelear = latencyOf('EDeLeaR');
    const reductions = placements.map((p) => latencyOf(`baseline:${p}`).map((b, i) => 1 - edelear[i] / b));
    reductions.forEach((r, k) => expect(Number(latency[k].margin_fraction_mean)).toBeCloseTo((r[0] + r[1]) / 2, 12));
    const perSeed = [0, 1].map((i) => reductions.reduce((a, r) => a + r[i], 0) / 6);
    expect(Number(latency[7].margin_fraction_mean)).toBeCloseTo((perSeed[0] + perSeed[1]) / 2, 12);
    // Two seeds: half-width t(0.975, 1) × |d0 − d1| / √2 / √2 = 12.7062 × |d0 − d1| / 2.
    expect(Number(latency[7].margin_fraction_ci95_high) - Number(latency[7].margin_fraction_mean)).toBeCloseTo((12.7062 * Math.abs(perSeed[0] - perSeed[1])) / 2, 4);
    // Whole baselines run on compare's common random numbers and are listed in compare.csv under their own role.
    expect(new Set(csv('compare.csv').filter((r) => r.arm.startsWith('baseline:')).map((r) => r.role))).toEqual(new Set(['whole-baseline']));
    // The console says the verdict against the whole baselines first, and the component baselines apart.
    const report = claimsReport(claims);
    expect(report.find((l) => l.startsWith('  2 '))).toContain(`: ${latency[6].verdict} against every whole baseline system`);
    expect(report.some((l) => /^ {6}mean over them +[+−]/.test(l))).toBe(true);
    expect(report.some((l) => l.startsWith("    against component baselines (EDeLeaR with one decision point replaced, its other components kept; not claim 2's verdict)"))).toBe(true);
    // The measured study: one row per seed and variant.
    const study = csv('compression_study.csv');
    expect(new Set(study.map((r) => r.seed))).toEqual(new Set(['1', '2']));
    expect(study.filter((r) => r.variant === 'fp32').map((r) => r.size_bytes)).toEqual(['407080', '407080']);
  });
});

describe('edelear compare --arms on the paper scenario: a subset of the whole baselines', () => {
  it('claim 2 over every whole baseline names those --arms left out and is not "holds" (helper-80: --arms baseline:least-loaded,baseline:all-local read "holds against every whole baseline", the full run "does not hold")', async () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-paper-arms-'));
    await compareCommand(SCENARIO, {
      set: ['duration=40 s', 'warmup=10 s'],
      out,
      replications: 2,
      quiet: true,
      strict: false,
      charts: false,
      arms: ['baseline:least-loaded'],
      study: { epochs: 1, batchSize: 32, lr: 0.1 },
    });
    const claims = parse(readFileSync(join(out, 'claims.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const whole = claims.filter((r) => latencyRowKind(r)?.kind === 'whole');
    expect(whole.map((r) => latencyRowKind(r)!.row)).toEqual(['each', 'every']);
    const every = whole[1];
    for (const left of ['all-local', 'nearest-edge', 'all-cloud', 'random', 'round-robin']) expect(every.baseline).toContain(`baseline:${left} (not named in --arms)`);
    expect(every.verdict).not.toBe('holds');
    expect(every.verdict).toBe(whole[0].verdict === 'does not hold' ? 'does not hold' : 'inconclusive');
    expect(claimsReport(claims).some((l) => l.includes('not run, so "against every" and the mean are not judged on them') && l.includes('baseline:random (not named in --arms)'))).toBe(true);
    rmSync(out, { recursive: true, force: true });
  }, 120_000);
});

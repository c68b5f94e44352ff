import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runComparison } from '../../src/cli/compare.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { compressModel } from '../../src/policies/compression/model-size.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog, readAccuracy } from '../../src/scenario/catalog.ts';
import { defaultArms } from '../../src/scenario/compare-arms.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { DEFAULT_COMPRESSION_CANDIDATES, scenarioJsonSchema } from '../../src/scenario/schema.ts';
import { overloadedNodes } from '../../src/world/offered-load.ts';
import { World } from '../../src/world/world.ts';
import { RunMetrics } from '../../src/metrics/collectors.ts';

// Compression wired into scenarios and runs: which variant each node runs, what it costs in the
// run, and what accuracy the requests it served get. Figures used below, with their origin:
//   ResNet-50 (data/models/resnet50.json): 8,178,368,512 FLOP, 25,557,032 parameters, peak
//     activation 3,211,264 B at fp32, reference top-1 76.13 % (torchvision).
//   Raspberry Pi 4 (data/devices/raspberry-pi-4.json): fp32 7.56 GFLOP/s, int8 13.3 GFLOP/s,
//     one slot, 4 GiB; Jetson Nano: fp32 135, fp16 274 GFLOP/s, no int8.
//   data/accuracy/resnet50.json, changes against each source's own fp32 model: int8 — the lowest
//     published, Distiller post-training 75.292 − 76.13 = −0.838 points; 40 % channels (NNCF)
//     75.57 − 76.15 = −0.58; unstructured sparsity 26 % +0.39 (76.54 − 76.15), 80 % −0.16.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/good/compression.yaml');
const dir = mkdtempSync(join(tmpdir(), 'edelear-compression-'));
const catalog = loadCatalog();
const resnet50 = catalog.models.get('resnet50')!;
const PI_INT8 = 13.3e9;
const PI_FP32 = 7.56e9;

const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

/** A scenario file written to the temporary folder. */
function scenarioFile(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** ResNet-50 on one Raspberry Pi 4 (its memory and kernels as given), one request a second, and these policies. */
function pi(name: string, { memory, sparse, deadline, policies, precision, compute }: { memory?: string; sparse?: boolean; deadline?: string; policies?: string; precision?: string; compute?: string }): string {
  // A profile's compute figures merge with the node's own: a board with fewer precisions is written out in full.
  const board = compute ? [`kind: device`, `compute: ${compute}`, `memory: 4 GiB`, `power: { idle: 2.7 W, busy: 6.4 W }`] : [`profile: raspberry-pi-4`];
  const node = [`name: cam`, ...board, ...(memory ? [`memory: ${memory}`] : []), ...(sparse ? ['sparseKernels: true'] : [])].join(', ');
  const wl = [`on: cam`, `model: resnet50`, `arrivals: { periodic: 1 h, offset: 1 s }`, ...(deadline ? [`deadline: ${deadline}`] : []), ...(precision ? [`precision: ${precision}`] : [])].join(', ');
  return scenarioFile(
    name,
    `name: ${name}
duration: 10 s
nodes:
  - { ${node} }
workloads:
  - { ${wl} }
${policies ? `policies:\n  ${policies}\n` : ''}`,
  );
}

const build = (file: string, set: readonly string[] = []) => buildWorldSpec(loadScenario(file, set), catalog);

describe('the catalog reads the accuracy data', () => {
  it('joins every zoo model that publishes an fp32 top-1 with its data/accuracy file', () => {
    // data/models: every model file but the MLP's has accuracy.fp32 (the MLP's is measured by real training instead).
    expect([...catalog.accuracy.keys()].sort()).toEqual(['alexnet', 'efficientnet-b0', 'mobilenet-v2', 'mobilenet-v3-small', 'resnet18', 'resnet50', 'squeezenet1.1', 'vgg16']);
    const r = catalog.accuracy.get('resnet50')!;
    expect(r.reference.top1).toBe(76.13);
    // data/accuracy/resnet50.json has 10 points; the zoo file's int8 figure is one more.
    expect(r.points.length).toBe(11);
    expect(catalog.accuracy.get('efficientnet-b0')!.points).toEqual([]);
  });

  it('a bad accuracy file is an error naming the file, the path inside it and what was expected', () => {
    const zoo = new Map([
      ['resnet50', { file: 'data/models/resnet50.json', accuracy: { fp32: { top1: 76.13, source: 'torchvision' } } }],
      ['mlp', { file: 'data/models/mlp.json', accuracy: undefined }],
    ]);
    const problem = (files: Record<string, unknown>) => {
      const d = mkdtempSync(join(dir, 'accuracy-'));
      for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), typeof content === 'string' ? content : JSON.stringify(content));
      try {
        readAccuracy(d, zoo);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const err = e as InputError;
        return { file: err.file.slice(d.length + 1), path: err.problems[0].path, message: err.problems[0].message };
      }
      throw new Error('expected an InputError');
    };
    const point = { sparsity: 0.5, top1: 75, baselineTop1: 76, method: 'm', source: 's' };
    expect(problem({ 'resnet50.json': { model: 'resnet50', metric: 'top-1', points: [{ ...point, top1: 'high' }] } })).toMatchObject({ file: 'resnet50.json', path: 'points[0].top1', message: expect.stringMatching(/expected number/) });
    expect(problem({ 'resnet50.json': { model: 'resnet50', metric: 'top-1', points: [{ ...point, sparsity: 1 }] } })).toMatchObject({ path: 'points[0].sparsity' });
    expect(problem({ 'resnet50.json': { model: 'resnet50', metric: 'top-1', points: [{ ...point, bits: 8 }] } })).toMatchObject({ path: 'points[0]', message: expect.stringMatching(/bits/) });
    expect(problem({ 'resnet50.json': '{ "model": ' })).toMatchObject({ path: '', message: expect.stringMatching(/^not valid JSON/) });
    expect(problem({ 'resnet18.json': { model: 'resnet50', metric: 'top-1', points: [] } })).toEqual({ file: 'resnet18.json', path: 'model', message: 'expected "resnet18" (the file\'s name), got "resnet50"' });
    expect(problem({ 'vgg.json': { model: 'vgg', metric: 'top-1', points: [] } })).toMatchObject({ path: 'model', message: expect.stringMatching(/^expected a zoo model \(data\/models\): resnet50, mlp; got "vgg"/) });
    expect(problem({ 'mlp.json': { model: 'mlp', metric: 'top-1', points: [] } })).toMatchObject({ path: 'model', message: expect.stringMatching(/publishes its fp32 top-1 in accuracy\.fp32/) });
  });
});

describe('EDeLeaR chooses per node (known by construction)', () => {
  it('the only default candidate within a 300 ms deadline on a Pi 4 is c40-int8: every camera runs it, one decision for all', () => {
    const spec = build(FIXTURE);
    const run = spec.workloads[0].execution![0];
    const c40 = compressModel(resnet50, { name: 'c40', channels: 0.4 });
    expect(c40.flops).toBe(3_001_842_397); // 40 % of the channels pruned (model-size.ts, channel-pruning.ts)
    expect(run).toMatchObject({ variant: 'c40-int8', precision: 'int8', flops: c40.flops, weightBytes: c40.params, accuracyBasis: 'combined' });
    // Dense weights decoded to int8, one byte per parameter; activations at int8, a quarter of fp32's.
    expect(run.activationBytes).toBe(c40.peakOutputBytes / 4);
    // 76.13 − 0.58 − 0.838 = 74.712 %.
    expect(run.top1).toBeCloseTo(0.74712, 12);
    expect(run.choice).toMatchObject({ policy: 'edelear', nodes: 'cam-1 … cam-2', fitsMemory: true, meetsDeadline: true });
    expect(run.choice!.computeSeconds).toBe(c40.flops / PI_INT8); // 0.2257 s
    // The two cameras share one array of executions.
    expect(spec.workloads[1].execution).toBe(spec.workloads[0].execution);
    // The estimate adds two published changes: a warning at policies.compression (line 20), once.
    expect(spec.buildWarnings).toEqual([
      {
        path: 'policies.compression',
        line: 20,
        message: expect.stringMatching(/^workload classify on cam-1 … cam-2: accuracy of c40-int8 on resnet50: .* is not a published combination; the changes of channels pruned 0\.4 \(-0\.58 points, published\) and 8-bit weights, 8-bit activations \(-0\.838 points, published\) were added: -1\.418 points → top-1 74\.712 %$/),
      },
    ]);
  });

  it('a run computes each request in FLOPs / throughput of the chosen variant, and reports its top-1 as the accuracy of what was served', () => {
    // One request per camera (a period longer than the run), so no request waits (no queueing).
    const spec = build(FIXTURE, ['workloads[0].arrivals={ periodic: 1 h, offset: 1 s }', 'warmup=0']);
    const result = simulate(spec, { trace: true });
    const trace = result.metrics.trace!;
    expect(trace.length).toBe(2);
    for (const row of trace) {
      expect(row[6]).toBe('completed');
      expect(row[11]).toBe(3_001_842_397 / PI_INT8); // compute_s
    }
    const tables = summarize(result, { scenario: 'compression', seed: 1 });
    const all = tables.requests.find((r) => r.workload === '(all)')!;
    // Every request was served by c40-int8: its top-1 exactly, as a fraction.
    expect(all.accuracy_top1).toBe(spec.workloads[0].execution![0].top1);
    expect(tables.compression!.rows).toMatchObject([{ workload: 'classify', policy: 'edelear', nodes: 'cam-1 … cam-2', instance_node_pairs: 2, variant: 'c40-int8', precision: 'int8', accuracy_basis: 'combined' }]);
  });

  it('memory: in 60 MB only int8 of [fp32, int8] fits; among the default candidates the best that fits is c40; with sparse kernels p75', () => {
    // fp32 needs 25,557,032 × 4 + 3,211,264 = 105.4 MB; int8 25,557,032 + 802,816 = 26.4 MB.
    const two = build(pi('mem-two', { memory: '60 MB', policies: 'compression: { policy: edelear, candidates: [fp32, int8] }' }));
    expect(two.workloads[0].execution![0]).toMatchObject({ variant: 'int8', precision: 'int8', weightBytes: 25_557_032 });
    expect(two.workloads[0].execution![0].top1).toBeCloseTo(0.75292, 12); // 76.13 − 0.838
    // Dense kernels decode pruned weights: p50/p75/p90 need fp32's 102 MB. What fits, with its top-1:
    // c40 75.55 (38.8 MB), p50-int8 75.48 (published), int8 75.292, p75-int8 75.183 (combined),
    // c40-int8 74.712 (combined); p90-int8 is extrapolated, not trusted → c40.
    const dense = build(pi('mem-default', { memory: '60 MB', policies: 'compression: edelear' }));
    expect(dense.workloads[0].execution![0]).toMatchObject({ variant: 'c40', precision: 'fp32', accuracyBasis: 'published' });
    expect(dense.workloads[0].execution![0].top1).toBeCloseTo(0.7555, 12);
    // Sparse kernels keep p75 in CSR (38,446,736 B + 3.2 MB of activations) and skip its pruned
    // weights; its top-1 interpolates 26 % (+0.39) and 80 % (−0.16): 76.13 + 0.39 − 0.55 × 0.49/0.54 = 76.021 %.
    const sparse = build(pi('mem-sparse', { memory: '60 MB', sparse: true, policies: 'compression: edelear' }));
    const p75 = compressModel(resnet50, { name: 'p75', pruning: { sparsity: 0.75, format: 'csr' } });
    const run = sparse.workloads[0].execution![0];
    expect(run).toMatchObject({ variant: 'p75', precision: 'fp32', weightBytes: p75.bytes, flops: p75.sparseFlops, accuracyBasis: 'interpolated' });
    expect(p75.bytes).toBe(38_446_736);
    expect(run.top1).toBeCloseTo((76.13 + 0.39 - (0.55 * 0.49) / 0.54) / 100, 12);
    expect(sparse.nodes[0].sparseKernels).toBe(true);
    // The run charges the sparse FLOPs at fp32 speed.
    const r = simulate(sparse, { trace: true });
    expect(r.metrics.trace![0][11]).toBe(p75.sparseFlops / PI_FP32);
  });

  it('deadline: of [fp32, int8] only int8 meets 0.8 s on a Pi 4 (1.082 s against 0.615 s); without int8 speed-up neither does, and EDeLeaR says so', () => {
    const pi4 = build(pi('deadline', { deadline: '800 ms', policies: 'compression: { policy: edelear, candidates: [fp32, int8] }' }));
    expect(pi4.workloads[0].execution![0]).toMatchObject({ variant: 'int8', precision: 'int8' });
    expect(pi4.workloads[0].execution![0].choice!.computeSeconds).toBe(resnet50.flops / PI_INT8);
    // The same board without its int8 figure: int8 runs at fp32 speed, 1.082 s > 0.8 s, as fp32 does.
    const noInt8 = build(pi('deadline-no-int8', { compute: '{ fp32: 7.56 GFLOP/s }', deadline: '800 ms', policies: 'compression: { policy: edelear, candidates: [fp32, int8] }' }));
    const run = noInt8.workloads[0].execution![0];
    // The fastest that fits memory, ties to the first listed: fp32 (edelear.ts).
    expect(run).toMatchObject({ variant: 'fp32', precision: 'fp32', choice: { meetsDeadline: false } });
    expect(noInt8.buildWarnings.map((w) => w.message)).toEqual([
      `workload resnet50 on cam: no candidate fits memory, meets the deadline and has a supported accuracy: the fastest that fits memory: it runs fp32, which computes a request in ${Number((resnet50.flops / PI_FP32).toPrecision(4))} s, beyond the 0.8 s deadline`,
    ]);
  });
});

describe('the baselines', () => {
  const on = (policy: string) => build(FIXTURE, [`policies.compression=${policy}`]);

  it('none runs the fp32 model, int8 int8 at int8 speed, max the smallest stored candidate (p90-int8)', () => {
    const none = on('none').workloads[0].execution![0];
    expect(none).toMatchObject({ variant: 'fp32', precision: 'fp32', flops: resnet50.flops, weightBytes: resnet50.params * 4, accuracyBasis: 'published' });
    expect(none.top1).toBe(0.7613);
    const int8 = on('int8').workloads[0].execution![0];
    expect(int8).toMatchObject({ variant: 'int8', precision: 'int8', flops: resnet50.flops, weightBytes: resnet50.params });
    expect(int8.top1).toBeCloseTo(0.75292, 12);
    // Stored sizes of the default candidates (model-size.ts): 90 % pruned in CSR with 8-bit values is the least.
    const sizes = DEFAULT_COMPRESSION_CANDIDATES.map((v) => compressModel(resnet50, v).bytes);
    expect(Math.min(...sizes)).toBe(7_778_735);
    const maxSpec = on('max');
    const max = maxSpec.workloads[0].execution![0];
    expect(max).toMatchObject({ variant: 'p90-int8', precision: 'int8', flops: resnet50.flops, accuracyBasis: 'extrapolated', choice: { storedBytes: 7_778_735 } });
    // Its top-1 lies beyond the published points: a warning says so.
    expect(maxSpec.buildWarnings.map((w) => w.message)).toEqual([expect.stringMatching(/accuracy of p90-int8 on resnet50: .* lies beyond the published points .* extrapolated linearly/)]);
  });

  it('int8 on a Jetson Nano (no int8 figure) runs at fp16 speed, with a warning', () => {
    const file = scenarioFile(
      'nano',
      `name: nano
duration: 10 s
nodes:
  - { name: gw, profile: jetson-nano }
workloads:
  - { on: gw, model: resnet50, arrivals: { poisson: 1/s } }
policies:
  compression: int8
`,
    );
    const spec = build(file);
    expect(spec.workloads[0].execution![0]).toMatchObject({ variant: 'int8', precision: 'fp16' });
    expect(spec.buildWarnings).toEqual([{ path: 'policies.compression', line: 8, message: 'workload resnet50 on gw: gw has no int8 throughput: int8 runs at fp16 speed' }]);
  });

  it("the offered load counts the chosen variant's work: fp32 overloads a Pi 4 at 1 request/s, c40-int8 does not", () => {
    const set = ['workloads[0].arrivals={ poisson: 1/s }'];
    // fp32: 1/s × 1.082 s = 1.082; c40-int8: 1/s × 0.2257 s.
    expect(overloadedNodes(build(FIXTURE, [...set, 'policies.compression=none'])).map((o) => o.rho)).toEqual([resnet50.flops / PI_FP32, resnet50.flops / PI_FP32]);
    expect(overloadedNodes(build(FIXTURE, set))).toEqual([]);
  });
});

describe('the scenario option', () => {
  it('without a compression policy the model runs as declared, and requests report its published top-1', () => {
    const file = pi('declared', {});
    const spec = build(file);
    expect(spec.workloads[0].execution![0]).toEqual({
      variant: 'fp32',
      flops: resnet50.flops,
      precision: 'fp32',
      weightBytes: resnet50.params * 4,
      activationBytes: resnet50.peakActivationBytes,
      weights: 'resnet50/fp32',
      top1: 0.7613,
      accuracyBasis: 'published',
    });
    expect(spec.buildWarnings).toEqual([]);
    const tables = summarize(simulate(spec), { scenario: 'declared', seed: 1 });
    expect(tables.requests.find((r) => r.workload === '(all)')!.accuracy_top1).toBe(0.7613);
    expect(tables.compression).toBeUndefined(); // no compression.csv
    // A scenario's own model has no accuracy profile: the column is blank.
    const own = build(join(ROOT, 'test/fixtures/good/compare.yaml'));
    expect(own.workloads[0].execution![0].top1).toBeNaN();
  });

  it('a workload may override policies.compression; its problems point at its own setting', () => {
    const file = scenarioFile(
      'override',
      `name: override
duration: 10 s
nodes:
  - { name: cam, profile: raspberry-pi-4 }
workloads:
  - { name: a, on: cam, model: resnet50, arrivals: { poisson: 0.1/s } }
  - { name: b, on: cam, model: resnet50, arrivals: { poisson: 0.1/s }, compression: max }
policies:
  compression: int8
`,
    );
    const spec = build(file);
    expect(spec.workloads.map((w) => w.execution![0].variant)).toEqual(['int8', 'p90-int8']);
    expect(spec.buildWarnings.map((w) => [w.path, w.line])).toEqual([['workloads[1].compression', 7]]);
    // Both variants' weights are resident on the node: 25,557,032 B of int8 + p90-int8 decoded dense, another 25,557,032.
    expect(spec.workloads[0].execution![0].weights).not.toBe(spec.workloads[1].execution![0].weights);
  });

  it('bad settings are errors at their path: a precision other than fp32 with a choosing policy, a node that computes none of the variant, bad variants', () => {
    const fails = (file: string, set: readonly string[] = []) => {
      try {
        build(file, set);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).message;
      }
      throw new Error('expected an InputError');
    };
    const conflict = pi('conflict', { precision: 'int8', policies: 'compression: edelear' });
    expect(fails(conflict)).toMatch(/conflict\.yaml:6: workloads\[0\]\.precision: expected precision fp32 \(the default\) with compression policy edelear: the variant chosen for each node sets the precision; got int8/);
    // `none` keeps the declared precision: no conflict.
    expect(build(conflict, ['policies.compression=none']).workloads[0].execution![0]).toMatchObject({ variant: 'int8', precision: 'int8' });
    const int8Only = pi('int8-only', { compute: '{ int8: 13.3 GFLOP/s }', policies: 'compression: none' });
    expect(fails(int8Only)).toMatch(/int8-only\.yaml:8: policies\.compression: expected a variant that cam can compute, but none chose fp32, which needs fp32 throughput, and cam has int8 only/);
    const variant = (v: string) => fails(pi('variant', { policies: `compression: { policy: max, candidates: [int8, ${v}] }` }));
    expect(variant('{ name: x, pruning: { sparsity: 1.2 } }')).toMatch(/policies\.compression\.candidates\[1\]\.pruning\.sparsity: expected the sparsity to be in \[0, 1\), got 1\.2/);
    expect(variant('{ name: x, quantization: { levels: 300000 } }')).toMatch(/candidates\[1\]\.quantization\.levels: expected the levels to be an integer in \[2, 65536\], got 300000/);
    expect(variant('{ name: x, sharing: { clusters: 1 } }')).toMatch(/candidates\[1\]\.sharing\.clusters: expected the clusters to be an integer ≥ 2, got 1/);
    expect(variant('{ name: x, channels: 1 }')).toMatch(/candidates\[1\]\.channels: expected the channel fraction to be in \[0, 1\), got 1/);
    expect(variant('p77')).toMatch(/candidates\[1\]: expected the name of a default candidate \(fp32, int8, p50, .*\) or a variant mapping/);
    expect(variant('int8')).toMatch(/candidates\[1\]: the name "int8" is also candidates\[0\]'s; expected a unique variant name/);
    expect(fails(pi('policy', { policies: 'compression: fast' }))).toMatch(/policies\.compression: expected one of: "edelear" \| "none" \| "int8" \| "max", \{ policy \}, got string "fast"/);
    // A variant that fits nowhere under a baseline: fp32 in 60 MB (105 MB needed).
    expect(fails(pi('too-big', { memory: '60 MB', policies: 'compression: none' }))).toMatch(/workloads\[0\]\.model: expected a model variant whose weights fit in cam's memory \(60000000 B\), but resnet50 as fp32 \(fp32, chosen by compression none\) takes 102228128 B/);
  });

  it('is described in the JSON Schema: policies, candidates, variants, the workload override and sparse kernels', () => {
    const s = scenarioJsonSchema() as Record<string, any>;
    const compression = s.properties.policies.properties.compression;
    expect(compression.description).toMatch(/default none \(the model as declared\)/);
    const long = compression.anyOf[1];
    expect(long.properties.candidates.description).toMatch(/default: fp32, int8, p50, p75, p90, c40, p50-int8, p75-int8, p90-int8, c40-int8/);
    expect(long.properties.extrapolate.description).toMatch(/extrapolated/);
    const variant = long.properties.candidates.items.anyOf[1];
    for (const key of ['name', 'channels', 'pruning', 'sharing', 'quantization']) expect(variant.properties[key].description, key).toBeTruthy();
    expect(s.properties.workloads.items.properties.compression.description).toMatch(/overrides policies\.compression/);
    expect(s.properties.nodes.items.properties.sparseKernels.description).toMatch(/skip pruned weights/);
  });
});

describe('edelear compare with compression', () => {
  it('lists the compression baselines and the ablation only when the scenario uses EDeLeaR compression', () => {
    const loaded = loadScenario(FIXTURE);
    const { arms } = defaultArms(loaded, buildWorldSpec(loaded, catalog));
    expect(arms.filter((a) => /compression/.test(a.name)).map((a) => [a.name, a.role, a.overrides])).toEqual([
      ['compression-none', 'baseline', ['policies.compression=none']],
      ['compression-int8', 'baseline', ['policies.compression=int8']],
      ['compression-max', 'baseline', ['policies.compression=max']],
      ['EDeLeaR-without-compression', 'ablation', ['policies.compression=none']],
    ]);
    // max keeps a workload's own candidates.
    const own = loadScenario(FIXTURE, ['workloads[0].compression={ policy: edelear, candidates: [fp32, int8, p50] }']);
    const max = defaultArms(own, buildWorldSpec(own, catalog)).arms.find((a) => a.name === 'compression-max')!;
    expect(max.overrides[0]).toBe('policies.compression=max');
    expect(max.overrides[1]).toBe(`workloads[0].compression={ policy: max, candidates: [{"name":"fp32"},{"name":"int8","quantization":{"levels":256,"activations":true}},{"name":"p50","pruning":{"sparsity":0.5,"format":"csr"}}] }`);
    expect(buildWorldSpec(loadScenario(FIXTURE, max.overrides), catalog).workloads[0].execution![0].variant).toBe('int8'); // the smallest of the three
    // Not using it: no compression arm, run or skipped (the existing tables are unchanged).
    const plain = loadScenario(FIXTURE, ['policies.compression=none']);
    const table = defaultArms(plain, buildWorldSpec(plain, catalog));
    expect([...table.arms, ...table.skipped].filter((a) => /compression/.test(a.name))).toEqual([]);
  });

  it('pairs each baseline with EDeLeaR: the accuracy EDeLeaR gives up for its deadline, measured from requests.csv', () => {
    const c = runComparison(FIXTURE, defaultArms(loadScenario(FIXTURE), build(FIXTURE)).arms.filter((a) => a.role === 'reference' || a.name === 'compression-none'), {
      set: [],
      replications: 2,
      strict: false,
      warn: () => {},
      catalog,
    });
    const none = c.outcomes.find((o) => o.arm.name === 'compression-none')!;
    const accuracy = none.comparisons.find((m) => m.metric.metric === 'accuracy')!;
    // fp32's 76.13 % against c40-int8's 74.712 % on every seed: 1.418 points higher, a fraction.
    expect(accuracy.difference!.mean).toBeCloseTo(0.01418, 12);
    expect(accuracy.verdict).toBe('EDeLeaR worse');
    // fp32 computes in 1.082 s, beyond the deadline on every request; c40-int8 in 0.226 s.
    expect(none.comparisons.find((m) => m.metric.metric === 'latency_mean_s')!.verdict).toBe('EDeLeaR better');
  });
});

describe('the edelear command with compression', () => {
  it('run writes compression.csv and the accuracy column, and prints the accuracy warning at file:line: path', () => {
    const out = join(dir, 'run-out');
    const r = edelear(['run', FIXTURE, '--out', out, '--no-charts', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*compression\.yaml:20: policies\.compression: workload classify on cam-1 … cam-2: accuracy of c40-int8 on resnet50: .* → top-1 74\.712 %\n$/);
    const rows = parse(readFileSync(join(out, 'compression.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.workload, x.nodes, x.instance_node_pairs, x.variant, x.precision, x.stored_bytes, x.fits_memory, x.meets_deadline, x.accuracy_basis])).toEqual([
      ['classify', 'cam-1 … cam-2', '2', 'c40-int8', 'int8', String(compressModel(resnet50, DEFAULT_COMPRESSION_CANDIDATES.find((v) => v.name === 'c40-int8')!).bytes), 'yes', 'yes', 'combined'],
    ]);
    const requests = parse(readFileSync(join(out, 'requests.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    for (const row of requests) expect(Number(row.accuracy_top1)).toBeCloseTo(0.74712, 12);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).files).toContain('compression.csv');
  });

  it('--strict makes the accuracy warning an error (exit 2); a bad setting is exit 2 with its path', () => {
    const strict = edelear(['validate', FIXTURE, '--strict']);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toMatch(/^error: .*compression\.yaml:20: policies\.compression: workload classify .* \(an error under --strict\)$/m);
    const bad = edelear(['validate', FIXTURE, '--set', 'policies.compression={ policy: edelear, extrapolate: maybe }']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`error: ${FIXTURE}: policies.compression.extrapolate: expected true or false, got string "maybe" (from --set)\n`);
  });

  it('one thing said of many workloads and nodes is one warning naming them all (the paper scenario said it 12 times)', () => {
    const r = edelear(['validate', 'scenarios/paper-edelear.yaml', '--set', 'policies.compression=max']);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('accuracy of p90-int8 on mobilenet-v2'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'policies.compression: workload classify-1 on dev-1, edge and cloud; workload classify-2 on dev-2, edge and cloud; workload classify-3 on dev-3, edge and cloud; workload classify-4 on dev-4, edge and cloud: accuracy of p90-int8',
    );
  });

  it('a run without compression writes no compression.csv', () => {
    const out = join(dir, 'plain-out');
    const r = edelear(['run', 'test/fixtures/good/compare.yaml', '--out', out, '--no-charts', '--quiet', '--set', 'duration=20 s']);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'compression.csv'))).toBe(false);
    const requests = parse(readFileSync(join(out, 'requests.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(requests.map((x) => x.accuracy_top1)).toEqual(['', '']); // a scenario's own model: no profile
  });
});

describe('the offloading program costs the variant compression chose', () => {
  it('an lp placement over the device itself sees c40-int8 compute time, not resnet50 at fp32', () => {
    // LP candidates: the camera itself (tier device). Its program's compute figure must be the chosen
    // variant's FLOPs over the Pi 4's int8 throughput (0.2257 s), not 4.09 GMAC × 2 at fp32 speed.
    const spec = build(FIXTURE, ['policies.placement={ lp: { tier: [device] } }']);
    const run = spec.workloads[0].execution![0];
    const policy = spec.placement.policies[0] as unknown as { planner: { figuresOf(i: number): { compute: Float64Array } | undefined } };
    new World(spec, new RunMetrics(spec, spec.warmup)); // the program is registered when the world makes its plans
    const figures = policy.planner.figuresOf(0)!;
    expect(figures.compute[0]).toBe(run.flops / PI_INT8);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runComparison } from '../../src/cli/compare.ts';
import type { MetricComparison } from '../../src/metrics/compare.ts';
import { type ArmOutcome, COMPARE_COLUMNS, type Comparison, compareChart, compareRows } from '../../src/report/compare.ts';
import { renderSvg } from '../../src/report/render.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { burstOverrides, BURST_SATURATED } from '../fixtures/burst.ts';
import { type Arm, defaultArms, selectArms, usesEdelearPolicy, WHOLE_BASELINE_PREFIX } from '../../src/scenario/compare-arms.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Three slow devices, a fast edge server, a faster cloud behind a WAN; the scenario places every request on the edge (its comments give the figures). */
const FIXTURE = 'test/fixtures/good/compare.yaml';
const dir = mkdtempSync(join(tmpdir(), 'edelear-compare-'));

const edelear = (args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true });
}

function arm(name: string, ...overrides: string[]): Arm {
  return { name, role: name === 'EDeLeaR' ? 'reference' : 'baseline', overrides, description: name };
}

function outcome(c: Comparison, name: string): ArmOutcome {
  const o = c.outcomes.find((x) => x.arm.name === name);
  if (!o) throw new Error(`no arm ${name} in ${c.outcomes.map((x) => x.arm.name).join(', ')}`);
  return o;
}

function metric(o: ArmOutcome, name: string): MetricComparison {
  return o.comparisons.find((m) => m.metric.metric === name)!;
}

/** Hand figures of the fixture (its comments): every request's unloaded path to the edge and back. */
const EDGE_LATENCY_MIN = 2 * 0.005 + (10 * 1024 * 8) / 100e6 + (1024 * 8) / 100e6 + 1e9 / 100e9; // 20.901 ms

describe('edelear compare on a scenario whose outcome is known by construction', () => {
  let c: Comparison;
  beforeAll(() => {
    const loaded = loadScenario(FIXTURE);
    const { arms } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    c = runComparison(FIXTURE, arms, { set: [], replications: 3, strict: false });
  });

  it('runs the scenario as written (named as-written: it uses none of EDeLeaR’s policies) and the placement baselines on seeds 1..3, and says why the rest did not run', () => {
    expect(c.seeds).toEqual([1, 2, 3]);
    expect(c.outcomes.map((o) => o.arm.name)).toEqual(['as-written', 'all-local', 'nearest-edge', 'all-cloud', 'least-loaded', 'random', 'round-robin']);
    const loaded = loadScenario(FIXTURE);
    const { skipped } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    expect(skipped.map((s) => s.name)).toEqual(['EDeLeaR-without-offloading', 'allocation-equal', 'allocation-static', 'allocation-none', 'EDeLeaR-without-allocation']);
    expect(skipped[1].reason).toBe('no node has a partitioned scheduler: there are no shares to allocate');
  });

  it('common random numbers: on each seed every arm sees the same requests', () => {
    const generated = (o: ArmOutcome) => o.runs.map((r) => r.generated);
    const reference = generated(c.outcomes[0]);
    for (const o of c.outcomes) expect(generated(o)).toEqual(reference);
    expect(new Set(reference).size).toBe(3); // and the seeds differ from one another
  });

  it('all local on the slow devices: latency far higher (M/D/1 at ρ = 0.5), so the scenario as written is better', () => {
    const local = outcome(c, 'all-local');
    for (const r of local.runs) expect(r.figures.latency_mean_s).toBeGreaterThanOrEqual(0.5); // 1 GFLOP at 2 GFLOP/s
    // Pollaczek–Khinchine: S + ρS / (2(1 − ρ)) = 0.5 + 0.25 = 0.75 s, over 3 min of 1/s arrivals per device.
    expect(metric(local, 'latency_mean_s').value.mean).toBeGreaterThan(0.75 * 0.8);
    expect(metric(local, 'latency_mean_s').value.mean).toBeLessThan(0.75 * 1.2);
    expect(metric(local, 'latency_mean_s').verdict).toBe('as-written better');
    expect(metric(local, 'deadline_miss_ratio').verdict).toBe('as-written better'); // 0.5 s of compute > 200 ms
    // Energy: 3 W × 0.5 s = 1.5 J against 40 W × 10 ms = 0.4 J per request.
    expect(metric(local, 'energy_per_request_J').verdict).toBe('as-written better');
  });

  it('as-written (fixed on the edge): latency just above its unloaded path, 0.4 J per request', () => {
    const ref = c.outcomes[0];
    for (const r of ref.runs) {
      expect(r.figures.latency_mean_s).toBeGreaterThanOrEqual(EDGE_LATENCY_MIN);
      // Waits at the edge at ρ = 0.03: M/D/1 mean wait ρS / (2(1 − ρ)) = 0.15 ms.
      expect(r.figures.latency_mean_s).toBeLessThan(EDGE_LATENCY_MIN + 0.001);
      // Energy per completed request: (60 − 20) W × 10 ms (energy_per_request_J is per generated: × generated / completed).
      expect((r.figures.energy_per_request_J * r.generated) / r.completed).toBeCloseTo(0.4, 9);
    }
    expect(metric(ref, 'latency_mean_s').verdict).toBe('reference');
  });

  it('all in the cloud: slower behind the WAN but cheaper per request, and the verdicts say both', () => {
    const cloud = outcome(c, 'all-cloud');
    for (const r of cloud.runs) expect((r.figures.energy_per_request_J * r.generated) / r.completed).toBeCloseTo(0.23, 9); // 230 W × 1 ms
    expect(metric(cloud, 'latency_mean_s').verdict).toBe('as-written better');
    expect(metric(cloud, 'latency_mean_s').difference!.low).toBeGreaterThan(0.07); // 2 × 40 ms more WAN, 9 ms less compute
    expect(metric(cloud, 'energy_per_request_J').verdict).toBe('as-written worse');
    expect(metric(cloud, 'energy_per_request_J').difference!.mean).toBeCloseTo(0.23 - 0.4, 2);
    expect(metric(cloud, 'drop_ratio').verdict).toBe('no difference');
  });

  it('the chart draws every non-reference arm’s paired difference, one panel per metric, with no warning', async () => {
    const rows = compareRows(c);
    const spec = compareChart(rows) as { data: { values: Record<string, unknown>[] } };
    // 6 arms × 8 metrics (accuracy has no value: no panel).
    expect(spec.data.values.length).toBe(6 * 8);
    expect(new Set(spec.data.values.map((v) => v.panel)).size).toBe(8);
    const messages = { warnings: [] as string[], errors: [] as string[] };
    const svg = await renderSvg(compareChart(rows), messages);
    expect(messages).toEqual({ warnings: [], errors: [] });
    expect(svg).toContain('Each arm against as-written, paired by seed');
  });

  it('nearest edge is the same node as the scenario’s fixed edge: identical figures on every seed, a zero paired difference', () => {
    const nearest = outcome(c, 'nearest-edge');
    expect(nearest.runs.map((r) => r.figures)).toEqual(c.outcomes[0].runs.map((r) => r.figures));
    for (const m of nearest.comparisons) {
      expect(m.difference!.mean).toBe(0);
      expect(m.verdict).toBe('no difference');
    }
  });
});

describe('arms that repeat another, or do not apply', () => {
  let c: Comparison;
  const warned: string[] = [];
  beforeAll(() => {
    const arms = [
      arm('EDeLeaR'),
      arm('cloud', 'policies.placement={ fixed: cloud }'),
      arm('cloud-again', 'policies.placement={ fixed: cloud }'),
      arm('edge-again', 'policies.placement={ fixed: edge }'),
      arm('nowhere', 'policies.placement={ fixed: nowhere }'),
      arm('sideways', 'policies.placement=sideways'),
    ];
    c = runComparison(FIXTURE, arms, { set: [], replications: 2, strict: false, warn: (a, m) => warned.push(`${a}: ${m}`) });
  });

  it('an arm with the same configuration as an earlier one reuses its runs; one equal to EDeLeaR is not run', () => {
    expect(c.outcomes.map((o) => o.arm.name)).toEqual(['EDeLeaR', 'cloud', 'cloud-again']);
    expect(outcome(c, 'cloud-again').sameAs).toBe('cloud');
    expect(outcome(c, 'cloud-again').runs).toBe(outcome(c, 'cloud').runs);
    expect(c.skipped.find((s) => s.name === 'edge-again')?.reason).toBe('the same configuration as EDeLeaR (the scenario as written)');
  });

  it('an arm whose overrides do not validate or build is reported with its error and skipped; the others go on', () => {
    const reason = (name: string) => c.skipped.find((s) => s.name === name)?.reason ?? '';
    expect(reason('nowhere')).toMatch(/^its overrides do not apply: .*policies\.placement.*nowhere/);
    expect(reason('sideways')).toMatch(/^its overrides do not apply: .*policies\.placement/);
    expect(metric(outcome(c, 'cloud'), 'latency_mean_s').verdict).toBe('EDeLeaR better');
    expect(warned).toEqual([]);
  });

  it('the reference itself must load: its error is thrown as bad input', () => {
    expect(() => runComparison(FIXTURE, [arm('EDeLeaR', 'policies.placement={ fixed: nowhere }')], { set: [], replications: 2, strict: false })).toThrow(InputError);
  });

  it('an arm that overloads a node is warned of under its name, or skipped under --strict', () => {
    // 3 requests/s per device: ρ = 1.5 on each device when computing locally, 0.09 on the edge.
    const options = { set: ['workloads[0].arrivals.poisson=3/s', 'duration=30 s'], replications: 2 };
    const messages: string[] = [];
    const loose = runComparison(FIXTURE, [arm('EDeLeaR'), arm('local', 'policies.placement=local')], { ...options, strict: false, warn: (a, m) => messages.push(`${a}: ${m}`) });
    expect(loose.outcomes.map((o) => o.arm.name)).toEqual(['EDeLeaR', 'local']);
    expect(messages[0]).toBe('local: node cam-1 is offered more work than it can do: ρ = 1.500 ≥ 1; its queue grows without bound');
    const strict = runComparison(FIXTURE, [arm('EDeLeaR'), arm('local', 'policies.placement=local')], { ...options, strict: true });
    expect(strict.outcomes.map((o) => o.arm.name)).toEqual(['EDeLeaR']);
    expect(strict.skipped[0].reason).toMatch(/^warnings, errors under --strict: node cam-1 is offered more work/);
  });

  it('an arm whose runs meet a warning (a device saturated in the window, though its declared mean load is not) is skipped under --strict after running; the reference is an error', () => {
    // test/fixtures/burst.ts: the cameras computing locally saturate after the warm-up; on the edge, ρ = 0.045 (the scenario as written).
    const [local, ...rest] = burstOverrides(dir);
    const options = { set: rest, replications: 2 };
    const messages: string[] = [];
    const loose = runComparison(FIXTURE, [arm('EDeLeaR'), arm('local', local)], { ...options, strict: false, warn: (a, m) => messages.push(`${a}: ${m}`) });
    expect(loose.outcomes.map((o) => o.arm.name)).toEqual(['EDeLeaR', 'local']);
    expect(messages).toContain(`local: ${BURST_SATURATED}, so the latencies through it grow with the run (or would need a far longer run to settle) and are not steady-state figures (on 2 of 2 seeds)`);
    const strict = runComparison(FIXTURE, [arm('EDeLeaR'), arm('local', local)], { ...options, strict: true });
    expect(strict.outcomes.map((o) => o.arm.name)).toEqual(['EDeLeaR']);
    expect(strict.skipped[0].reason).toMatch(/^warnings met in its runs, errors under --strict: node cam-1 was saturated/);
    expect(() => runComparison(FIXTURE, [arm('EDeLeaR', local)], { ...options, strict: true })).toThrow(/the reference arm\): node cam-1 was saturated.*\(an error under --strict\)/);
  });
});

describe('the default arms', () => {
  it('a scenario without a policies section: its arms set policies.placement, and --set makes the mapping', () => {
    const file = join(dir, 'no-policies.yaml');
    writeFileSync(file, readFileSync(FIXTURE, 'utf8').replace(/policies:\n.*\n/, ''));
    const loaded = loadScenario(file);
    const { arms } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    const cloud = arms.find((a) => a.name === 'all-cloud')!;
    expect(cloud.overrides).toEqual(['policies.placement={ fixed: "cloud" }']);
    expect(loadScenario(file, cloud.overrides).scenario.policies.placement).toEqual({ fixed: 'cloud' });
    // The scenario's default placement is local: that baseline is the scenario as written.
    expect(loadScenario(file, arms.find((a) => a.name === 'all-local')!.overrides).scenario.policies.placement).toBe('local');
  });

  it('a workload with its own placement is set too; allocation arms and the ablation appear with partitioned nodes and EDeLeaR allocation', () => {
    const file = join(dir, 'own-placement.yaml');
    const text = readFileSync(FIXTURE, 'utf8')
      .replace('deadline: 200 ms }', 'deadline: 200 ms, placement: { fixed: edge } }')
      .replace("memory: 8 GiB,", 'memory: 8 GiB, scheduler: { partitioned: { job: 0.5 } },')
      .replace('placement: { fixed: edge }\n', 'placement: { fixed: edge }\n  allocation: edelear\n  interval: 5 s\n');
    writeFileSync(file, text);
    const loaded = loadScenario(file);
    const { arms, skipped } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    expect(arms.find((a) => a.name === 'all-local')!.overrides).toEqual(['policies.placement=local', 'workloads[0].placement=local']);
    expect(arms.filter((a) => (a.role !== 'baseline' && a.role !== 'whole-baseline') || a.name.startsWith('allocation')).map((a) => [a.name, a.overrides])).toEqual([
      ['EDeLeaR', []],
      ['allocation-equal', ['policies.allocation=equal']],
      ['allocation-static', ['policies.allocation=static']],
      ['allocation-none', ['policies.allocation=none']],
      ['EDeLeaR-without-allocation', ['policies.allocation=static']],
    ]);
    // EDeLeaR's allocation is used: whole baselines take each placement with allocation none (no compression to switch off).
    expect(arms.find((a) => a.name === 'baseline:all-local')!.overrides).toEqual(['policies.placement=local', 'workloads[0].placement=local', 'policies.allocation=none']);
    expect(arms.filter((a) => a.role === 'whole-baseline')).toHaveLength(6);
    expect(skipped.map((s) => s.name)).toEqual(['EDeLeaR-without-offloading']);
  });

  it("a scenario using EDeLeaR's LP offloading gets its ablation: nothing offloaded", () => {
    const set = ['policies.placement={ lp: { tier: [device, edge, cloud] } }'];
    const loaded = loadScenario(FIXTURE, set);
    const { arms, skipped } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    expect(arms.find((a) => a.role === 'ablation')).toEqual({
      name: 'EDeLeaR-without-offloading',
      role: 'ablation',
      description: 'the scenario with placement local',
      overrides: ['policies.placement=local'],
    });
    expect(skipped.map((s) => s.name)).not.toContain('EDeLeaR-without-offloading');
  });

  it('whole baseline systems: each placement baseline with allocation none and compression none, listed only when the scenario uses an EDeLeaR policy', () => {
    // The fixture uses none of EDeLeaR's policies (fixed placement): its placement baselines are already whole systems.
    const plain = loadScenario(FIXTURE);
    const table = defaultArms(plain, buildWorldSpec(plain, loadCatalog()));
    expect([...table.arms, ...table.skipped].filter((a) => a.role === 'whole-baseline' || a.name.startsWith(WHOLE_BASELINE_PREFIX))).toEqual([]);
    // The paper's scenario: lp placement on every workload, a partitioned edge under edelear allocation, edelear compression.
    const paper = loadScenario('scenarios/paper-edelear.yaml');
    const { arms } = defaultArms(paper, buildWorldSpec(paper, loadCatalog()));
    const whole = arms.filter((a) => a.role === 'whole-baseline');
    expect(whole.map((a) => a.name)).toEqual(['all-local', 'nearest-edge', 'all-cloud', 'least-loaded', 'random', 'round-robin'].map((n) => `baseline:${n}`));
    const workloads = (v: string) => [0, 1, 2, 3].map((i) => `workloads[${i}].placement=${v}`);
    // Caches and batchers are per node: devices 1, 2 and 4 (entries 0, 1, 3) declare both.
    const perNode = ['nodes[0].cache=null', 'nodes[1].cache=null', 'nodes[3].cache=null', ...[0, 1, 3].map((i) => `nodes[${i}].scheduler={ batching: { policy: none } }`)];
    expect(whole.find((a) => a.name === 'baseline:all-cloud')!.overrides).toEqual([
      'policies.placement={ fixed: "cloud" }',
      ...workloads('{ fixed: "cloud" }'),
      'policies.allocation=none',
      'policies.compression=none',
      ...perNode,
      'policies.partitioning=all-remote',
    ]);
    // Each whole baseline is its placement baseline's placement plus the four other decision points at none.
    for (const w of whole) {
      const component = arms.find((a) => a.name === w.name.slice(WHOLE_BASELINE_PREFIX.length))!;
      expect(w.overrides).toEqual([...component.overrides, 'policies.allocation=none', 'policies.compression=none', ...perNode, 'policies.partitioning=all-remote']);
      const s = loadScenario('scenarios/paper-edelear.yaml', w.overrides).scenario;
      // No EDeLeaR component is left: no lp placement anywhere, no edelear allocation or compression, no cache, no batching, no split.
      expect(usesEdelearPolicy(s)).toBe(false);
      expect([s.policies.allocation, s.policies.compression?.policy, s.policies.partitioning?.policy]).toEqual(['none', 'none', 'all-remote']);
      expect(s.nodes.map((n) => n.cache)).toEqual(Array(6).fill(undefined));
      expect(s.nodes.slice(0, 4).map((n) => n.scheduler)).toEqual([0, 1, 2, 3].map((i) => (i === 2 ? 'fcfs' : { batching: expect.objectContaining({ policy: 'none' }) })));
      expect(w.description).toMatch(
        /^a whole baseline system, no EDeLeaR component: placement .*; allocation none, no partitions: first come, first served on the slots; compression none, the model as declared \(uncompressed; fp32 unless the workload declares another precision\) on every node; caching none, no result cache on any node: every request computed; batching none, no batching: batches of one, first come first served on the slots; partitioning all-remote, no split: the input is sent and the whole model runs where placement sent it \(k = 0\)$/,
      );
    }
  });

  it('caching and batching: per-node arms that set every node declaring a cache or a batcher, each validating; their ablations switch EDeLeaR\'s policy off', () => {
    const paper = loadScenario('scenarios/paper-edelear.yaml');
    const { arms, skipped } = defaultArms(paper, buildWorldSpec(paper, loadCatalog()));
    const of = (name: string) => arms.find((a) => a.name === name)!;
    expect(arms.filter((a) => /cach|batch/.test(a.name)).map((a) => [a.name, a.role])).toEqual([
      ['cache-lru', 'baseline'],
      ['cache-lfu', 'baseline'],
      ['cache-none', 'baseline'],
      ['EDeLeaR-without-caching', 'ablation'],
      ['batching-fixed', 'baseline'],
      ['batching-none', 'baseline'],
      ['EDeLeaR-without-batching', 'ablation'],
    ]);
    expect(skipped.filter((a) => /cach|batch/.test(a.name))).toEqual([]);
    // The cache keeps its capacity, lookup time and energy; only the policy changes (dev-1's: 500 entries, 0.1 ms, 0.148 mJ).
    expect(of('cache-lru').overrides[0]).toBe('nodes[0].cache={ capacity: 500, policy: lru, lookup: 0.0001, energy: 0.000148 }');
    expect(of('batching-fixed').overrides.map((o) => o.slice(0, o.indexOf('=')))).toEqual(['nodes[0].scheduler', 'nodes[1].scheduler', 'nodes[3].scheduler']);
    expect(of('EDeLeaR-without-caching').overrides).toEqual(of('cache-none').overrides);
    expect(of('EDeLeaR-without-batching').overrides).toEqual(of('batching-none').overrides);
    const load = (name: string) => loadScenario('scenarios/paper-edelear.yaml', of(name).overrides).scenario;
    for (const [name, policy] of [['cache-lru', 'lru'], ['cache-lfu', 'lfu']] as const) {
      const nodes = load(name).nodes;
      expect(nodes.map((n) => n.cache?.policy)).toEqual([policy, policy, undefined, policy, undefined, undefined]);
      expect(nodes.map((n) => n.cache)).toEqual(paper.scenario.nodes.map((n) => n.cache && { ...n.cache, policy }));
    }
    expect(load('cache-none').nodes.every((n) => n.cache === undefined)).toBe(true);
    const batchers = (name: string) => load(name).nodes.map((n) => (typeof n.scheduler === 'object' && 'batching' in n.scheduler ? n.scheduler.batching : n.scheduler));
    expect(batchers('batching-fixed').slice(0, 4)).toEqual([
      { policy: 'fixed', max: 32, preferred: [], delay: 0 },
      { policy: 'fixed', max: 16, preferred: [], delay: 0 },
      'fcfs',
      { policy: 'fixed', max: 64, preferred: [], delay: 0 },
    ]);
    expect(batchers('batching-none').slice(0, 4)).toEqual([{ policy: 'none', preferred: [], delay: 0 }, { policy: 'none', preferred: [], delay: 0 }, 'fcfs', { policy: 'none', preferred: [], delay: 0 }]);
    // Every arm of the paper scenario builds; the new ones run on a short window with common random numbers.
    for (const a of arms) buildWorldSpec(loadScenario('scenarios/paper-edelear.yaml', a.overrides), loadCatalog());
    const set = ['duration=40 s', 'warmup=5 s'];
    const c = runComparison('scenarios/paper-edelear.yaml', selectArms(arms, skipped, ['cache-none', 'batching-fixed', 'EDeLeaR-without-caching']), { set, replications: 2, strict: false });
    expect(c.outcomes.map((o) => [o.arm.name, o.sameAs])).toEqual([
      ['EDeLeaR', undefined],
      ['cache-none', undefined],
      ['EDeLeaR-without-caching', 'cache-none'],
      ['batching-fixed', undefined],
    ]);
    for (const o of c.outcomes) expect(o.runs.map((r) => r.generated)).toEqual(c.outcomes[0].runs.map((r) => r.generated));
  });

  it("partitioning: EDeLeaR's split choice against all-local and all-remote, its ablation all-remote; listed only when the scenario sets policies.partitioning", () => {
    const paper = loadScenario('scenarios/paper-edelear.yaml');
    const { arms } = defaultArms(paper, buildWorldSpec(paper, loadCatalog()));
    expect(arms.filter((a) => a.name.includes('partitioning')).map((a) => [a.name, a.role, a.overrides])).toEqual([
      ['partitioning-all-local', 'baseline', ['policies.partitioning=all-local']],
      ['partitioning-all-remote', 'baseline', ['policies.partitioning=all-remote']],
      ['EDeLeaR-without-partitioning', 'ablation', ['policies.partitioning=all-remote']],
    ]);
    for (const a of arms.filter((x) => x.name.includes('partitioning'))) {
      expect(loadScenario('scenarios/paper-edelear.yaml', a.overrides).scenario.policies.partitioning).toEqual({ policy: a.overrides[0].split('=')[1], objective: 'latency' });
    }
    // A scenario without the setting lists no partitioning arm, and its whole baselines say nothing of it.
    const plain = loadScenario(FIXTURE, ['policies.placement={ lp: { tier: [device, edge, cloud] } }']);
    const table = defaultArms(plain, buildWorldSpec(plain, loadCatalog()));
    expect([...table.arms, ...table.skipped].filter((a) => a.name.includes('partitioning'))).toEqual([]);
    // On the hand-checked fixture (one camera, one split point worth taking), the arms run and differ from EDeLeaR.
    const file = 'test/fixtures/good/partitioning.yaml';
    const loaded = loadScenario(file);
    const fixture = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    const c = runComparison(file, selectArms(fixture.arms, fixture.skipped, ['partitioning-all-local', 'partitioning-all-remote']), { set: [], replications: 2, strict: false });
    expect(c.outcomes.map((o) => o.arm.name)).toEqual(['EDeLeaR', 'partitioning-all-local', 'partitioning-all-remote']);
    // The fixture's figures: the split after layer a 0.3108 s, all remote 1.0128 s, all local 2.1 s.
    expect(c.outcomes.map((o) => o.runs[0].figures.latency_mean_s)).toEqual([expect.closeTo(0.3108, 3), expect.closeTo(2.1, 3), expect.closeTo(1.0128, 3)]);
  });

  it('a scenario with a cache but no workload declaring inputs: the caching arms do not apply, and say why', () => {
    const set = ['nodes[1].cache={ capacity: 100 }'];
    const loaded = loadScenario(FIXTURE, set);
    const { arms, skipped } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    expect(arms.filter((a) => a.name.includes('cach'))).toEqual([]);
    expect(skipped.filter((a) => a.name.includes('cach')).map((a) => [a.name, a.reason])).toEqual(
      ['cache-lru', 'cache-lfu', 'cache-none', 'EDeLeaR-without-caching'].map((n) => [n, 'no workload declares `inputs`: no request ever looks a result up']),
    );
  });

  it('with nothing else to switch off (lp placement only), a whole baseline is its placement baseline: the same configuration, its runs reused', () => {
    const set = ['policies.placement={ lp: { tier: [device, edge, cloud] } }'];
    const loaded = loadScenario(FIXTURE, set);
    const { arms } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    const cloud = arms.find((a) => a.name === 'baseline:all-cloud')!;
    expect(cloud.overrides).toEqual(['policies.placement={ fixed: "cloud" }']);
    expect(cloud.description).toBe(
      'a whole baseline system, no EDeLeaR component: placement { fixed: "cloud" }, every request in the cloud (the nearest cloud node when there are several); allocation: no node has a partitioned scheduler: there are no shares to allocate; compression: the scenario sets no compression policy (the model as declared)',
    );
    const c = runComparison(FIXTURE, selectArms(arms, [], ['all-cloud', 'baseline:all-cloud']), { set, replications: 2, strict: false });
    expect(c.outcomes.map((o) => [o.arm.name, o.arm.role, o.sameAs])).toEqual([
      ['EDeLeaR', 'reference', undefined],
      ['all-cloud', 'baseline', undefined],
      ['baseline:all-cloud', 'whole-baseline', 'all-cloud'],
    ]);
    expect(outcome(c, 'baseline:all-cloud').runs).toBe(outcome(c, 'all-cloud').runs);
  });

  it('--arms picks arms by name (any case), the reference always first, by either of its names; an unknown name lists the arms there are', () => {
    const loaded = loadScenario(FIXTURE);
    const { arms, skipped } = defaultArms(loaded, buildWorldSpec(loaded, loadCatalog()));
    expect(selectArms(arms, skipped, ['All-Local', 'random']).map((a) => a.name)).toEqual(['as-written', 'all-local', 'random']);
    expect(() => selectArms(arms, skipped, ['all-locale'])).toThrow(/no arm named "all-locale"; expected a comma-separated list of: as-written, all-local, nearest-edge/);
    for (const name of ['EDeLeaR', 'AS-WRITTEN']) expect(selectArms(arms, skipped, [name, 'random']).map((a) => a.name)).toEqual(['as-written', 'random']);
    // Only arms that do not apply here (no partitioned node): nothing to compare with, refused (helper-74: it ran the reference alone, exit 0).
    expect(() => selectArms(arms, skipped, ['allocation-equal'])).toThrow(/no arm given applies to this scenario: allocation-equal: no node has a partitioned scheduler.*, so there is nothing to compare the reference with/);
    expect(() => selectArms(arms, skipped, ['allocation-equal', 'allocation-equal'])).toThrow(/nothing to compare the reference with/);
    expect(() => selectArms(arms, skipped, ['as-written'])).toThrow(/only the reference arm is named, so there is nothing to compare the reference with; name an arm of: all-local, nearest-edge/);
    // Arms named that are all the reference's configuration: refused before any run; unnamed (the default table), the reference alone stands.
    expect(() => runComparison(FIXTURE, [arm('EDeLeaR'), arm('edge', 'policies.placement={ fixed: edge }')], { set: [], replications: 2, strict: false, named: true })).toThrow(/every arm named is the scenario as written in another name, so nothing would be compared: edge/);
    expect(runComparison(FIXTURE, [arm('EDeLeaR'), arm('edge', 'policies.placement={ fixed: edge }')], { set: ['duration=20 s'], replications: 2, strict: false }).outcomes).toHaveLength(1);
    // With one that applies, the other is listed under "not run", as before.
    expect(selectArms(arms, skipped, ['allocation-equal', 'random']).map((a) => a.name)).toEqual(['as-written', 'random']);
  });
});

describe('the edelear compare command', () => {
  it('writes compare.csv (one row per arm × metric, these columns), compare_runs.csv and the manifest', () => {
    const out = join(dir, 'cli');
    const r = edelear(['compare', FIXTURE, '--arms', 'all-local', '--replications', '2', '--out', out, '--quiet', '--no-charts']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const header = readFileSync(join(out, 'compare.csv'), 'utf8').split('\n')[0];
    expect(header.split(',')).toEqual([...COMPARE_COLUMNS]);
    const rows = csv(join(out, 'compare.csv'));
    // 2 arms × 8 metrics (no accuracy: nothing reports one yet).
    expect(rows.length).toBe(16);
    const latency = rows.find((x) => x.arm === 'all-local' && x.metric === 'latency_mean_s')!;
    expect([latency.role, latency.unit, latency.better, latency.n, latency.difference_n, latency.seeds, latency.verdict]).toEqual(['baseline', 's', 'lower', '2', '2', '1..2', 'as-written better']);
    // The fixture places by `fixed`, none of EDeLeaR's policies: its reference is not called EDeLeaR.
    const reference = rows.find((x) => x.arm === 'as-written' && x.metric === 'latency_mean_s')!;
    expect([reference.verdict, reference.difference_mean]).toEqual(['reference', '']);
    const runs = csv(join(out, 'compare_runs.csv'));
    expect(runs.map((x) => [x.arm, x.seed, x.complete])).toEqual([['as-written', '1', 'yes'], ['as-written', '2', 'yes'], ['all-local', '1', 'yes'], ['all-local', '2', 'yes']]);
    expect(runs[0].accuracy).toBe('');
    // The difference in compare.csv is the mean of the per-seed differences in compare_runs.csv.
    const d = (Number(runs[2].latency_mean_s) - Number(runs[0].latency_mean_s) + Number(runs[3].latency_mean_s) - Number(runs[1].latency_mean_s)) / 2;
    expect(Number(latency.difference_mean)).toBeCloseTo(d, 12);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(['compare.csv', 'compare_runs.csv', 'compare_latency.csv', 'manifest.json']);
    expect(manifest.runs).toBe(4);
    expect(manifest.comparison.arms.map((a: Arm) => [a.name, a.overrides])).toEqual([['as-written', []], ['all-local', ['policies.placement=local']]]);
  });

  it('the console table marks the arm where the reference loses, and says on what; a reference that is not EDeLeaR says so', () => {
    const r = edelear(['compare', FIXTURE, '--arms', 'all-cloud', '--replications', '2', '--out', join(dir, 'cloud'), '--no-charts']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}✗ +all-cloud .*−170 mJ ± .* ✗ .*energy\/request$/m);
    expect(r.stdout).toMatch(/^ {2}as-written +reference +21\.0 ms ± /m);
    expect(r.stdout).toContain("the reference is as-written: the scenario as written uses none of EDeLeaR's own policies");
    expect(r.stdout).toMatch(/paired difference arm − as-written on the same seed.*✗ as-written worse/);
  });

  it('bad flags are exit 2 with a message, never a stack trace', () => {
    for (const [args, message] of [
      [['--replications', '0'], "option '--replications <n>' argument '0' is invalid. expected a positive whole number (1, 2, …), got \"0\""],
      [['--replications', 'five'], 'expected a positive whole number (1, 2, …), got "five"'],
      [['--arms', 'all-locale'], 'error: --arms all-locale: no arm named "all-locale"'],
      [['--arms', ''], 'error: --arms "": expected at least one arm name, comma-separated (e.g. --arms all-local,nearest-edge); without --arms every arm runs'],
      [['--seed', '-1'], `expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got "-1"`],
      [['--out', FIXTURE], `error: --out ${FIXTURE}: ${FIXTURE} is a file, not a directory`],
    ] as const) {
      const r = edelear(['compare', FIXTURE, ...args, '--quiet']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = edelear(['compare', 'no/such.yaml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('error: no/such.yaml: cannot read the scenario file (ENOENT: no such file); expected a YAML or JSON file\n');
  });
});

describe('an arm that makes a setting of the scenario idle', () => {
  it('is not warned of it, nor skipped under --strict (helper-81: all-local made the scenario’s partitioning “nothing to split” and was skipped)', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-idle-arm-'));
    const r = edelear(['compare', 'scenarios/default.yaml', '--set', 'duration=20 s', '--set', 'policies.partitioning=edelear', '--set', 'workloads[0].arrivals={ poisson: 1/s }', '--arms', 'all-local', '--replications', '2', '--strict', '--no-charts', '--quiet', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('nothing to split');
    const arms = new Set((parse(readFileSync(join(out, 'compare.csv'), 'utf8'), { columns: true }) as Record<string, string>[]).map((x) => x.arm));
    expect(arms).toEqual(new Set(['EDeLeaR', 'all-local']));
    // The scenario as written, placed locally, is still told its partitioning changes nothing.
    const run = edelear(['validate', 'scenarios/default.yaml', '--set', 'policies.partitioning=edelear', '--set', 'policies.placement=local']);
    expect(run.stderr).toContain('policies.partitioning: nothing to split');
  });
});

describe("the console's figures with their intervals", () => {
  it('gives a ratio two significant digits of its half-width, so a verdict is not shown beside an interval rounded onto 0 (helper-79: "−0.1 pts ± 0.1 pts ✗" for −0.065 ± 0.054)', async () => {
    const { withHalfWidth } = await import('../../src/cli/compare-table.ts');
    expect(withHalfWidth(-0.00065, 0.00054, 'ratio', true)).toBe('−0.065 pts ± 0.054 pts');
    expect(withHalfWidth(-0.12, 0.054, 'ratio', true)).toBe('−12.0 pts ± 5.4 pts');
    expect(withHalfWidth(0.5, 0.0054, 'ratio')).toBe('50.00% ± 0.54%');
    expect(withHalfWidth(0.0123, 0.00041, 's')).toBe('12.3 ms ± 410 µs');
    expect(withHalfWidth(0.5, 1e-12, 'ratio')).toBe('50.0% ± 0.0%'); // rounding noise of equal values: 0, at 1 decimal (helper-85)
  });
});

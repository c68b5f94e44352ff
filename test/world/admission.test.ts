import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { DeclaredUtilization } from '../../src/policies/admission/declared-utilization.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { node, spec, workload } from './fixtures.ts';

/**
 * One node runs its own requests (no links): 1 GFLOP jobs at 1 GFLOP/s per slot, under processor
 * sharing over 100 slots of 1 GFLOP/s each, so no job slows another (each takes exactly 1 s), so what the
 * admission decides is all that differs. Arrivals are traces, so every case is a hand count.
 */
function run(times: number[], declared: number, capacity: number, vms: number, extra: { times2?: number[]; declared2?: number } = {}) {
  const nodes = [node('vm', { throughput: { fp32: 100e9 }, slots: 100, scheduler: 'processor-sharing' })];
  const workloads = [workload(0, { kind: 'trace', times: Float64Array.from(times) })];
  if (extra.times2) workloads.push(workload(0, { kind: 'trace', times: Float64Array.from(extra.times2) }, { name: 'w2', group: 1 }));
  const admission = new DeclaredUtilization([{ capacity, vms }], (i) => (i === 0 ? declared : extra.declared2!));
  const r = simulate(spec({ nodes, workloads, targets: Int32Array.from(workloads, () => 0), duration: 100, admission }), { trace: true });
  return { r, admission, born: r.metrics.trace!.filter((row) => row[6] === 'completed').map((row) => row[4]) };
}

describe('declared-utilization admission (EdgeCloudSim BasicEdgeOrchestrator)', () => {
  it('five 20 % tasks fill a 100 % VM, the sixth is refused as vm-capacity, and a completion frees 20 % again', () => {
    // Arrivals at 0, 0.1, …, 0.5 s each hold 20 % for 1 s: Σ = 100 % after the fifth; the sixth (0.5 s)
    // would make 120 %. The first ends at 1.0 s, so the arrival at 1.2 s finds 80 % held and fits.
    const { r, admission, born } = run([0, 0.1, 0.2, 0.3, 0.4, 0.5, 1.2], 20, 100, 1);
    expect(r.metrics.all.dropped['vm-capacity']).toBe(1);
    expect(r.metrics.all.completed).toBe(6);
    // The completed requests: the one born at 0.5 s is missing.
    expect(born).toEqual([0, 0.1, 0.2, 0.3, 0.4, 1.2]);
    // Everything has left by the end: the books are empty again.
    expect(admission.held(0, 0)).toBe(0);
  });

  it('a declared figure equal to the capacity left fits (≤, as EdgeCloudSim tests), and fractions that are not exact in binary still sum to a fit', () => {
    // 10 × 10 % = 100 %: all ten fit, the eleventh does not (hand count).
    const tenths = run(Array.from({ length: 11 }, (_, j) => j * 0.01), 10, 100, 1);
    expect(tenths.r.metrics.all.completed).toBe(10);
    expect(tenths.r.metrics.all.dropped['vm-capacity']).toBe(1);
    // 0.1 % in a 0.3 % VM: 0.1 + 0.1 + 0.1 is 0.30000000000000004 in doubles, still three fit.
    const tiny = run([0, 0.01, 0.02, 0.03], 0.1, 0.3, 1);
    expect(tiny.r.metrics.all.completed).toBe(3);
    expect(tiny.r.metrics.all.dropped['vm-capacity']).toBe(1);
  });

  it('two VMs are tried NEXT_FIT: 30 % tasks alternate VM 1, VM 2 until each holds 90 %, then the 7th is refused', () => {
    const { r, admission } = run([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 30, 100, 2);
    expect(r.metrics.all.completed).toBe(6);
    expect(r.metrics.all.dropped['vm-capacity']).toBe(1);
    expect(admission.held(0, 0)).toBe(0);
    expect(admission.held(0, 1)).toBe(0);
  });

  it('VMs are separate bins: two 60 % tasks on two VMs refuse a 50 % task that one pooled 200 % would take', () => {
    // A (60 %) at 0 → VM 1; A at 0.1 → VM 2 (the cursor moves on); B (50 %) at 0.2: VM 1 holds 60 (110 > 100),
    // VM 2 holds 60: refused. Pooled, 60 + 60 + 50 = 170 ≤ 200 would fit.
    const split = run([0, 0.1], 60, 100, 2, { times2: [0.2], declared2: 50 });
    expect(split.r.metrics.all.dropped['vm-capacity']).toBe(1);
    expect(split.r.metrics.byWorkload[1].dropped['vm-capacity']).toBe(1);
    const pooled = run([0, 0.1], 60, 200, 1, { times2: [0.2], declared2: 50 });
    expect(pooled.r.metrics.all.dropped['vm-capacity']).toBe(0);
    expect(pooled.r.metrics.all.completed).toBe(3);
  });

  it('NEXT_FIT skips a full VM: with VM 1 full, the next task goes to VM 2 even when the cursor points at VM 1', () => {
    // 50 % tasks at 0, 0.1, 0.2: VM 1, VM 2, VM 1 (VM 1 now 100 %); at 0.3 the cursor is on VM 2 (50 %): fits there.
    // At 0.4 both hold 100 %: refused. Completed 4, refused 1 (hand count).
    const { r } = run([0, 0.1, 0.2, 0.3, 0.4], 50, 100, 2);
    expect(r.metrics.all.completed).toBe(4);
    expect(r.metrics.all.dropped['vm-capacity']).toBe(1);
  });

  it('a node down loses its jobs and frees what they held', () => {
    const nodes = [node('d', { throughput: { fp32: 1e15 } }), node('vm', { kind: 'edge', throughput: { fp32: 100e9 }, slots: 100, scheduler: 'processor-sharing', failures: { mtbf: 5, mttr: 1 } })];
    const admission = new DeclaredUtilization([undefined, { capacity: 100, vms: 1 }], () => 20);
    const r = simulate(
      spec({
        nodes,
        links: [{ a: 0, b: 1, bandwidth: 1e12, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 }],
        workloads: [workload(0, { kind: 'poisson', rate: 20 })],
        targets: Int32Array.of(1),
        duration: 200,
        admission,
      }),
    );
    // Some jobs were lost with the node and some refused; at the end every job has left and the VM holds 0 %.
    expect(r.metrics.all.dropped['node-down']).toBeGreaterThan(0);
    expect(r.metrics.all.dropped['vm-capacity']).toBeGreaterThan(0);
    const inService = r.world.meters.jobs(1);
    expect(admission.held(1, 0)).toBeCloseTo(20 * inService, 9);
  });
});

describe('admission in scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'admission-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const scenario = (admission: string) => `
name: admission
duration: 99.25 s
nodes:
  - { name: dev, kind: device, compute: { fp32: 1 FLOP/s }, memory: 1 MB, power: { idle: 0 W, busy: 0 W } }
  - { name: edge, kind: edge, compute: { fp32: 100 GFLOP/s }, slots: 100, scheduler: processor-sharing, memory: 1 GB, power: { idle: 0 W, busy: 0 W }${admission} }
  - { name: cloud, kind: cloud, compute: { fp32: 100 GFLOP/s }, slots: 100, scheduler: processor-sharing, memory: 1 GB, power: { idle: 0 W, busy: 0 W }${admission} }
links:
  - { between: [dev, edge], bandwidth: 1 Tbit/s }
  - { between: [dev, cloud], bandwidth: 1 Tbit/s }
models:
  - { name: task, input: 1 B, layers: [{ name: t, flops: 0.95 GFLOP, output: 1 B }] }
workloads:
  - { name: to-edge, on: dev, model: task, arrivals: { periodic: 0.1 s }, vmUtilization: { edge: 30, cloud: 3 }, placement: { fixed: edge } }
  - { name: to-cloud, on: dev, model: task, arrivals: { periodic: 0.1 s }, vmUtilization: { edge: 30, cloud: 3 }, placement: { fixed: cloud } }
`;
  const summary = (file: string) => {
    const loaded = loadScenario(file);
    const spec = buildWorldSpec(loaded, loadCatalog());
    return summarize(simulate(spec), { scenario: 'admission', seed: 1 });
  };

  it("each request declares its workload's figure for the node's kind; refusals are a column of requests.csv", () => {
    // A job every 0.1 s (0, 0.1, …, 99.2 s: 993 in 99.25 s), each 0.95 s long. At the edge each declares 30 %,
    // so a 100 % VM holds 3: those born at x.0, x.1, x.2 s run (the earlier three left at (x−1).95 … x.15 s) and
    // the 7 born at x.3 … x.9 s are refused. Hand count: admitted 3 × 100 = 300, refused 993 − 300 = 693, of the
    // admitted the three born at 99.x are still running at 99.25 s, so 297 completed. At the cloud each declares
    // 3 %: at most 10 present, 30 % ≤ 100 %, none refused.
    const t = summary(write('ok.yaml', scenario(', admission: { policy: declared-utilization, capacity: 100 }')));
    const edge = t.requests.find((row) => row.workload === 'to-edge')!;
    const cloud = t.requests.find((row) => row.workload === 'to-cloud')!;
    expect(Number(edge.generated)).toBe(993);
    expect(Number(edge.dropped_vm_capacity)).toBe(693);
    expect(Number(edge.completed)).toBe(297);
    expect(Number(cloud.dropped_vm_capacity)).toBe(0);
    expect(Number(cloud.completed)).toBe(983); // the 10 born at 98.3 … 99.2 s end after 99.25 s
    // Without admission nothing is refused.
    const none = summary(write('none.yaml', scenario('')));
    expect(none.requests.every((row) => Number(row.dropped_vm_capacity) === 0)).toBe(true);
    expect(Number(none.requests.find((row) => row.workload === 'to-edge')!.completed)).toBe(983);
  });

  it('bad admission settings are an InputError naming the path and what was expected', () => {
    const file = write('bad.yaml', scenario(', admission: { policy: declared-utilization, capacity: -5 }'));
    let error: unknown;
    try {
      buildWorldSpec(loadScenario(file), loadCatalog());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(String((error as Error).message)).toMatch(/nodes\.1\.admission\.capacity|nodes\[1\]\.admission\.capacity/);
    const typo = write('typo.yaml', scenario(', admission: { policy: first-fit }'));
    expect(() => loadScenario(typo)).toThrow(/admission\.policy/);
  });

  it.each([1])('(cleanup %i)', () => rmSync(dir, { recursive: true, force: true }));
});

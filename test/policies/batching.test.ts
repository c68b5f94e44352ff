import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADAPTIVE_BATCHING, adaptiveBatching } from '../../src/policies/batching/adaptive.ts';
import { BATCHING_POLICIES, batchingPolicy } from '../../src/policies/batching/registry.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOOD = 'test/fixtures/good/minimal.yaml'; // nodes[1] is the edge server (jetson-xavier-nx); workload "classify", deadline 100 ms

describe('batching policies', () => {
  it('the registry names none, fixed and adaptive', () => {
    expect(BATCHING_POLICIES).toEqual(['none', 'fixed', 'adaptive']);
    for (const name of BATCHING_POLICIES) expect(batchingPolicy(name).name).toBe(name);
  });

  it('none bounds every batch at 1, fixed at the maximum', () => {
    expect(batchingPolicy('none').initial(32)).toBe(1);
    expect(batchingPolicy('fixed').initial(32)).toBe(32);
    expect(batchingPolicy('fixed').adapts).toBe(false);
  });

  it("adaptive is Clipper's AIMD: +1 after a full batch within the objective, ×0.9 (floored, ≥ 1) after one over it", () => {
    expect(ADAPTIVE_BATCHING).toEqual({ start: 1, increase: 1, decrease: 0.9 });
    const p = adaptiveBatching();
    expect(p.initial(32)).toBe(1);
    expect(p.next(7, 7, 0.05, 0.1, 32)).toBe(8); // full, within
    expect(p.next(7, 3, 0.05, 0.1, 32)).toBe(7); // partial, within: says nothing about 8
    expect(p.next(32, 32, 0.05, 0.1, 32)).toBe(32); // at the maximum
    expect(p.next(20, 20, 0.105, 0.102, 32)).toBe(18); // 20 × 0.9 = 18 exactly
    expect(p.next(7, 7, 0.2, 0.1, 32)).toBe(6); // ⌊7 × 0.9⌋ = ⌊6.3⌋: floored (⌈6.3⌉ would be 7)
    expect(p.next(7, 7, 0.1, 0.1, 32)).toBe(8); // a full batch exactly at the objective meets it
    expect(p.next(1, 1, 0.2, 0.1, 32)).toBe(1); // never below 1
  });
});

describe('batching in a scenario', () => {
  const build = (set: string[]) => buildWorldSpec(loadScenario(GOOD, set), loadCatalog());

  it("builds a batching node with its profile's batch cost and the workload's deadline as objective", () => {
    const spec = build(['nodes[1].scheduler={ batching: { policy: adaptive, max: 16, preferred: [4, 8], delay: 2 ms } }']);
    const edge = spec.nodes.find((n) => n.name === 'edge')!;
    expect(edge.scheduler).toBe('batching');
    const b = edge.batching!;
    expect(b.sizer.name).toBe('adaptive');
    expect([b.max, b.preferred, b.delay]).toEqual([16, [4, 8], 0.002]);
    // jetson-xavier-nx: t0 = 1.7154 ms, t1 = 0.8586 ms (MLPerf v1.0 Xavier NX MaxP: SingleStream 2.574 ms, Offline 1164.7/s).
    expect(b.fixedShare).toBeCloseTo(1.7154 / (1.7154 + 0.8586), 12);
    expect(b.objectives).toEqual([0.1, Infinity]);
  });

  it('falls back to no batching gain (fixedShare 0) on a profile without batch figures', () => {
    const spec = build(['nodes[1].profile=raspberry-pi-4', 'nodes[1].scheduler={ batching: { max: 4 } }']);
    expect(spec.nodes.find((n) => n.name === 'edge')!.batching!.fixedShare).toBe(0);
  });

  // (f) bad settings: an InputError naming the path, and `edelear validate` exits 2 with it.
  const bad: [string, string, RegExp][] = [
    ['{ batching: { policy: fixed } }', 'nodes[1].scheduler.batching.max', /expected a maximum batch size/],
    ['{ batching: { max: 0 } }', 'nodes[1].scheduler.batching.max', /expected a number ≥ 1/],
    ['{ batching: { max: 4, preferred: [2, 8] } }', 'nodes[1].scheduler.batching.preferred[1]', /expected a preferred batch size ≤ max \(4\), got 8/],
    ['{ batching: { max: 8, preferred: [4, 2] } }', 'nodes[1].scheduler.batching.preferred[1]', /ascending order/],
    ['{ batching: { max: 8, delay: -1 ms } }', 'nodes[1].scheduler.batching.delay', /expected a non-negative time/],
    ['{ batching: { max: 8, policy: lifo } }', 'nodes[1].scheduler.batching.policy', /expected one of "none", "fixed", "adaptive"/],
    ['{ batching: { max: 8, decrease: 0.5 } }', 'nodes[1].scheduler.batching.decrease', /applies to policy adaptive only/],
    ['{ batching: { max: 8, policy: adaptive, decrease: 1.5 } }', 'nodes[1].scheduler.batching.decrease', /expected a number < 1/],
    ['{ batching: { max: 8, fixedShare: 1 } }', 'nodes[1].scheduler.batching.fixedShare', /expected a number < 1/],
    ['{ batching: { max: 8, maxx: 3 } }', 'nodes[1].scheduler.batching.maxx', /unknown key "maxx" \(did you mean "max"\?\)/],
    // Batches of one take no other settings: they were silently ignored (preferred 8 > max 4 too).
    ['{ batching: { policy: none, max: 4, preferred: [8] } }', 'nodes[1].scheduler.batching.max', /"max" does not apply to policy none \(batches of one/],
    ['{ batching: { policy: none, delay: 5 ms } }', 'nodes[1].scheduler.batching.delay', /"delay" does not apply to policy none/],
    // An adaptive bound starting above max was silently capped at max.
    ['{ batching: { policy: adaptive, max: 4, start: 8, objective: 1 s } }', 'nodes[1].scheduler.batching.start', /expected a start bound ≤ max \(4\), got 8/],
  ];
  for (const [value, path, message] of bad) {
    it(`refuses scheduler=${value} at ${path}`, () => {
      try {
        build([`nodes[1].scheduler=${value}`]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const p = (e as InputError).problems[0];
        expect(p.path).toBe(path);
        expect(p.message).toMatch(message);
      }
    });
  }

  it('refuses adaptive without an objective when no workload has a deadline', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edelear-batching-')), 'no-deadline.yaml');
    writeFileSync(file, readFileSync(GOOD, 'utf8').replace(/\n\s*deadline: 100 ms/, ''));
    try {
      buildWorldSpec(loadScenario(file, ['nodes[1].scheduler={ batching: { policy: adaptive, max: 8 } }']), loadCatalog());
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).problems[0].path).toBe('nodes[1].scheduler.batching.objective');
    }
  });

  it('edelear validate exits 2 naming the path', () => {
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'validate', GOOD, '--set', 'nodes[1].scheduler={ batching: { max: 4, preferred: [8] } }'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nodes\[1\]\.scheduler\.batching\.preferred\[0\]: expected a preferred batch size ≤ max \(4\), got 8/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { mm1Delay, mm1Passes } from '../../src/world/analytic-link.ts';
import type { LinkSpec } from '../../src/world/link.ts';
import { Links } from '../../src/world/links.ts';
import { overloadedLinks } from '../../src/world/offered-load.ts';
import { node } from './fixtures.ts';

/**
 * The analytic link delay model `edgecloudsim-mm1` (src/world/analytic-link.ts): EdgeCloudSim's
 * MM1Queue.calculateMM1 as coded (v4.0, lines 153–166), delay = 1/(μ − λ·n) + propagation with
 * μ = bandwidth/8/meanSize and λ = 1/meanInterarrival, a transfer failing when the delay is not
 * positive or exceeds the cut-off (5 s). Expected values are hand-computed from that formula.
 */
describe('mm1Delay: 1/(μ − λ·n) + propagation, by hand', () => {
  // 8000 bit/s over 100 B: μ = 1000 B/s / 100 B = 10 transfers/s. Mean interarrival 10 s: λ = 0.1/s. Propagation 0.1 s.
  const d = (n: number) => mm1Delay(8000, 100, 10, 0.1, n);
  it.each([
    [0, 1 / 10 + 0.1], // 0.2 s
    [1, 1 / 9.9 + 0.1], // 0.20101 s
    [50, 1 / 5 + 0.1], // 0.3 s
    [97, 1 / 0.3 + 0.1], // 3.4333 s
  ])('n = %i devices: %f s, let through', (n, expected) => {
    expect(d(n)).toBeCloseTo(expected, 12);
    expect(mm1Passes(d(n), 5)).toBe(true);
  });

  it('n = 98: 1/0.2 + 0.1 = 5.1 s exceeds 5 s: dropped', () => {
    expect(d(98)).toBeCloseTo(5.1, 9);
    expect(mm1Passes(d(98), 5)).toBe(false);
  });

  it('n = 100: μ = λ·n, 1/0 + 0.1 = ∞: dropped', () => {
    expect(d(100)).toBe(Infinity);
    expect(mm1Passes(d(100), 5)).toBe(false);
  });

  it('n = 150 (unstable): 1/(10 − 15) + 0.1 = −0.1 s: dropped', () => {
    expect(d(150)).toBeCloseTo(-0.1, 12);
    expect(mm1Passes(d(150), 5)).toBe(false);
  });

  it('n = 200: 1/(−10) + 0.1 = 0 s exactly: dropped (EdgeCloudSim lets only delay > 0 through)', () => {
    expect(d(200)).toBeCloseTo(0, 12);
    expect(mm1Passes(0, 5)).toBe(false);
  });

  it('n = 300 (far past saturation): 1/(−20) + 0.1 = 0.05 s is positive and passes — EdgeCloudSim as coded', () => {
    expect(d(300)).toBeCloseTo(0.05, 12);
    expect(mm1Passes(d(300), 5)).toBe(true);
  });

  it("app1's WAN upload as coded at 158 devices: 1/(1.875e6/301875 − 158/62.7) + 0.1 = 0.37097 s", () => {
    // μ = 6.21118/s, λ·n = 2.51994/s: 1/3.69124 = 0.270912 s, + 0.1 s propagation.
    expect(mm1Delay(15e6, 301875, 62.7, 0.1, 158)).toBeCloseTo(1 / (1.875e6 / 301875 - 158 / 62.7) + 0.1, 12);
    expect(mm1Delay(15e6, 301875, 62.7, 0.1, 158)).toBeCloseTo(0.370912, 5);
  });
});

describe('an analytic link in Links: no queue, n from the devices attached now', () => {
  // Devices 0–2 linked to access point 3; access point 4 has none; 3 and 4 both linked to server 5 by analytic links.
  const nodes = [node('d0'), node('d1'), node('d2'), node('ap1', { kind: 'gateway' }), node('ap2', { kind: 'gateway' }), node('srv', { kind: 'edge' })];
  const radio = (a: number, b: number): LinkSpec => ({ a, b, bandwidth: 1e12, delay: 0, txEnergyPerBit: 0, rxEnergyPerBit: 0 });
  const analytic = (ap: number): LinkSpec => ({
    a: ap,
    b: 5,
    bandwidth: 8000,
    delay: 0.1,
    txEnergyPerBit: 0,
    rxEnergyPerBit: 0,
    // μ up = 1000/100 = 10/s, μ down = 1000/200 = 5/s, λ = 0.25/s.
    analytic: { model: 'edgecloudsim-mm1', meanSize: [100, 200], meanInterarrival: 4, maxDelay: 5, accessPoint: ap },
  });
  const specs = [radio(0, 3), radio(1, 3), radio(2, 3), analytic(3), analytic(4)];
  const safe = () => true;
  // Directed links: 2·3 = 6 is ap1 → srv, 7 srv → ap1; 8 ap2 → srv, 9 srv → ap2.

  it('three transfers at once each take the formula delay for n = 3 — none waits for another', () => {
    const links = new Links(specs, nodes);
    const up = 1 / (10 - 0.25 * 3) + 0.1; // 0.208108 s
    for (let x = 0; x < 3; x++) {
      // 1000 B at 8000 bit/s would take 1 s each on a FIFO link: the second and third would wait 1 s and 2 s.
      expect(links.reserve(6, 1000, 2)).toBe(2);
      expect(links.begin(6, 1000, 2, 0, 0)).toBeCloseTo(2 + up, 12);
    }
    const down = 1 / (5 - 0.25 * 3) + 0.1; // 0.335294 s
    expect(links.reserve(7, 50, 3)).toBe(3);
    expect(links.begin(7, 50, 3, 0, 0)).toBeCloseTo(3 + down, 12);
    expect(links.backlog(6, 2)).toBe(0);
  });

  it('a move re-counts both places in O(1): n follows the device, and a crowded place drops', () => {
    const links = new Links(specs, nodes);
    expect(Array.from(links.analytic!.attached.slice(3, 5))).toEqual([3, 0]);
    // Device 0 moves to ap2: ap1 has 2 devices, ap2 has 1.
    links.reattach(0, 0, 4, safe);
    expect(Array.from(links.analytic!.attached.slice(3, 5))).toEqual([2, 1]);
    links.reserve(6, 100, 0);
    expect(links.begin(6, 100, 0, 0, 0)).toBeCloseTo(1 / (10 - 0.5) + 0.1, 12);
    links.reserve(8, 100, 0);
    expect(links.begin(8, 100, 0, 0, 0)).toBeCloseTo(1 / (10 - 0.25) + 0.1, 12);
    // Re-attaching to where it is changes nothing.
    links.reattach(0, 0, 4, safe);
    expect(Array.from(links.analytic!.attached.slice(3, 5))).toEqual([2, 1]);
  });

  it("a device's own analytic link counts at the access point it is attached to now", () => {
    // Device 0's radio is analytic (μ up 10/s, λ = 0.25/s, no propagation); n is counted at its access point.
    const own: LinkSpec = { ...radio(0, 3), bandwidth: 8000, analytic: { model: 'edgecloudsim-mm1', meanSize: [100, 200], meanInterarrival: 4, maxDelay: 5, accessPoint: 3 } };
    const links = new Links([own, ...specs.slice(1)], nodes);
    links.reserve(0, 100, 0);
    expect(links.begin(0, 100, 0, 0, 0)).toBeCloseTo(1 / (10 - 0.25 * 3), 12);
    links.reattach(0, 0, 4, safe); // alone at ap2 now
    links.reserve(0, 100, 0);
    expect(links.begin(0, 100, 0, 0, 0)).toBeCloseTo(1 / (10 - 0.25 * 1), 12);
  });

  it('drops when the delay exceeds maxDelay or the queue is unstable', () => {
    // meanInterarrival 0.32 s: λ = 3.125/s. Down (μ 5/s), n = 3: 1/(5 − 9.375) + 0.1 = −0.1286 s: dropped.
    // Up (μ 10/s), n = 3: 1/(10 − 9.375) + 0.1 = 1.7 s: let through; with maxDelay 1 s: dropped.
    const tight = (maxDelay: number): LinkSpec => ({ ...analytic(3), analytic: { model: 'edgecloudsim-mm1', meanSize: [100, 200], meanInterarrival: 0.32, maxDelay, accessPoint: 3 } });
    const loose = new Links([...specs.slice(0, 3), tight(5), analytic(4)], nodes);
    expect(loose.reserve(6, 100, 0)).toBe(0);
    expect(loose.begin(6, 100, 0, 0, 0)).toBeCloseTo(1 / (10 - 9.375) + 0.1, 12);
    expect(loose.reserve(7, 100, 0)).toBeNaN();
    const strict = new Links([...specs.slice(0, 3), tight(1), analytic(4)], nodes);
    expect(strict.reserve(6, 100, 0)).toBeNaN();
  });

  it('a FIFO link beside it still queues and keeps its maxWait', () => {
    const links = new Links([...specs, { ...radio(3, 4), bandwidth: 8000, maxWait: 1.5 }], nodes);
    // Directed link 10: ap1 → ap2, 1000 B = 1 s each: starts 0, 1; the third would wait 2 s > 1.5 s.
    expect(links.reserve(10, 1000, 0)).toBe(0);
    expect(links.reserve(10, 1000, 0)).toBe(1);
    expect(links.reserve(10, 1000, 0)).toBeNaN();
  });
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'analytic-link-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three devices at one access point sending to an edge server over an analytic link (μ up 10/s, down 5/s). */
function scenario(meanInterarrival: string, extra = ''): string {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `name: analytic
duration: 35 s
seed: 1
nodes:
  - { name: dev, kind: device, count: 3, compute: { fp32: 1 FLOP/s }, memory: 1 MB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, compute: { fp32: 1 FLOP/s }, memory: 1 MB, power: { idle: 0 W, busy: 0 W } }
  - { name: srv, kind: edge, compute: { fp32: 3 GFLOP/s }, slots: 3, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
links:
  - { between: [dev-*, ap], bandwidth: 1 Tbit/s }
  - { between: [ap, srv], bandwidth: 8 kbit/s, delay: 100 ms${extra}, analytic: { model: edgecloudsim-mm1, meanSize: { up: 100 B, down: 200 B }, meanInterarrival: ${meanInterarrival} } }
models:
  - { name: job, input: 1000 B, layers: [{ name: l, flops: 1 GFLOP, output: 400 B }] }
workloads:
  - { name: w, on: dev-*, model: job, arrivals: { periodic: 10 s }, placement: { fixed: srv } }
`,
  );
  return file;
}

function run(file: string, overrides: string[] = []) {
  const loaded = loadScenario(file, overrides);
  return summarize(simulate(buildWorldSpec(loaded, loadCatalog(), 1)), { scenario: 'analytic', seed: 1 });
}

describe('the build-time overload check', () => {
  it('passes over an analytic link (it never queues), not over the same link as a FIFO one', () => {
    // 3 devices × 0.1/s × 40 kB × 8 = 96 kbit/s offered to the 8 kbit/s ap → srv link: ρ = 12.
    const spec = buildWorldSpec(loadScenario(scenario('4 s'), ['models[0].input=40000 B']), loadCatalog(), 1);
    const k = spec.links.findIndex((l) => l.analytic !== undefined);
    expect(overloadedLinks(spec)).toEqual([]);
    const fifo = { ...spec, links: spec.links.map((l) => ({ ...l, analytic: undefined })) };
    expect(overloadedLinks(fifo)).toEqual([{ link: 2 * k, rho: expect.closeTo(12, 9) }]);
  });
});

describe('an analytic link in a run', () => {
  it('every request takes radio + formula up (n = 3) + 1 s compute + formula down + radio, all alike (no contention)', () => {
    const t = run(scenario('4 s'));
    const row = t.requests.find((r) => r.workload === 'w')!;
    // 3 devices × arrivals at 0, 10, 20, 30 s, all done by 35 s.
    expect(Number(row.completed)).toBe(12);
    const expected = (1000 * 8) / 1e12 + (1 / (10 - 0.75) + 0.1) + 1 + (1 / (5 - 0.75) + 0.1) + (400 * 8) / 1e12; // 1.543402 s
    expect(Number(row.latency_mean_s)).toBeCloseTo(expected, 9);
    expect(Number(row.latency_max_s)).toBeCloseTo(expected, 9);
  });

  it('an unstable link (λ·n > μ) drops every request as link-congested', () => {
    // λ = 1/0.2 s = 5/s, n = 3: 1/(10 − 15) + 0.1 = −0.1 s up: every upload fails.
    const t = run(scenario('0.2 s'));
    const row = t.requests.find((r) => r.workload === 'w')!;
    expect(Number(row.completed)).toBe(0);
    expect(Number(row.dropped)).toBe(12);
    expect(Number(row.dropped_link_congested)).toBe(12);
  });
});

describe('bad analytic settings name their path', () => {
  const problem = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).problems[0];
    }
    throw new Error('expected an InputError');
  };

  it('a negative mean size', () => {
    const p = problem(() => loadScenario(scenario('4 s'), ['links[1].analytic.meanSize.up=-1 kB']));
    expect(p.path).toBe('links[1].analytic.meanSize.up');
    expect(p.message).toMatch(/expected a positive (size|bytes|amount)/);
  });

  it('an unknown model', () => {
    const p = problem(() => loadScenario(scenario('4 s'), ['links[1].analytic.model=mm1']));
    expect(p.path).toBe('links[1].analytic.model');
    expect(p.message).toMatch(/edgecloudsim-mm1/);
  });

  it('maxWait beside an analytic model', () => {
    const p = problem(() => run(scenario('4 s', ', maxWait: 5 s')));
    expect(p.path).toBe('links[1].maxWait');
    expect(p.message).toMatch(/expected no maxWait on a link with an analytic delay model/);
  });

  it('a link serving two access points at once', () => {
    // srv is linked to two access points, each with devices: the link srv — cloud serves no one place.
    const file = join(dir, 'two-places.yaml');
    writeFileSync(
      file,
      `name: two-places
duration: 10 s
nodes:
  - { name: dev, kind: device, count: 2, compute: { fp32: 1 FLOP/s }, memory: 1 MB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, count: 2, compute: { fp32: 1 FLOP/s }, memory: 1 MB, power: { idle: 0 W, busy: 0 W } }
  - { name: srv, kind: edge, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: cloud, kind: cloud, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
links:
  - { between: [dev-*, ap-*], pairing: round-robin, bandwidth: 1 Gbit/s }
  - { between: [ap-*, srv], bandwidth: 1 Gbit/s }
  - { between: [srv, cloud], bandwidth: 1 Gbit/s, analytic: { model: edgecloudsim-mm1, meanSize: { up: 1 kB, down: 1 kB }, meanInterarrival: 1 s } }
models:
  - { name: job, input: 1000 B, layers: [{ name: l, flops: 1 GFLOP, output: 400 B }] }
workloads:
  - { name: w, on: dev-*, model: job, arrivals: { periodic: 10 s }, placement: { fixed: cloud } }
`,
    );
    const p = problem(() => run(file));
    expect(p.path).toBe('links[2].analytic');
    expect(p.message).toBe('expected one access point (a node devices are linked to) at srv — cloud or linked to its ends, to count the devices n of the formula; found several: ap-1, ap-2');
  });

  it('the CLI exits 2 with file: path: what was expected, no stack trace', () => {
    const file = scenario('-4 s');
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'validate', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/links\[1\]\.analytic\.meanInterarrival: expected a positive time/);
    expect(r.stderr).not.toMatch(/^\s{4}at /m);
  });
});

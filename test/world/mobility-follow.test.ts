import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { MobilityModel } from '../../src/world/mobility.ts';
import type { RequestPool } from '../../src/world/request.ts';
import { World, type WorldSpec } from '../../src/world/world.ts';

/**
 * What follows a moving device besides its routes: the node a `nearest` placement may move it to
 * (only nodes that can run its model) and the partitioning's figures of its pairs (route, choice,
 * split), decided again at the move.
 */
const dir = mkdtempSync(join(tmpdir(), 'edelear-mobility-follow-'));
const catalog = loadCatalog();

function specOf(name: string, text: string): WorldSpec {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, text);
  return buildWorldSpec(loadScenario(f), catalog);
}

/** The device starts at place 0 and moves to place 1 at t = `at`, once. */
function movesOnceAt(at: number): MobilityModel {
  let moved = false;
  return {
    name: 'scripted',
    start: () => 0,
    nextAt: () => (moved ? Infinity : at),
    placeAt: () => ((moved = true), 1),
  };
}

/** Runs the spec with the scripted move; each completed request's birth time and the node it ran on. */
function runWithMove(spec: WorldSpec, at: number): { world: World; done: { born: number; node: number }[] } {
  const done: { born: number; node: number }[] = [];
  const observer = {
    generated() {},
    completed(pool: RequestPool, r: number) {
      done.push({ born: pool.born[r], node: pool.node[r] });
    },
    dropped() {},
  };
  const world = new World({ ...spec, mobility: { ...spec.mobility!, model: movesOnceAt(at) } }, observer);
  world.run();
  return { world, done };
}

const NOMADIC = `mobility:
  model: nomadic
  start: linked
  inFlight: delivered
  placeTypes: [{ name: A, dwell: { exponential: { mean: 10 s } } }]
  places: [{ accessPoint: ap-1, type: A }, { accessPoint: ap-2, type: A }]
`;

/**
 * One device (1 GFLOP/s) with a two-layer model (1 MB in, 1 kB between the layers and out, 0.1 GFLOP
 * each), two access points, the given edge servers and links after the device's 100 Mbit/s radio to
 * ap-1, model partitioning by EDeLeaR decided once (no interval), and the device nomadic over the
 * two access points.
 */
function splitScenario(name: string, edges: string, links: string): string {
  return `name: ${name}
duration: 100 s
nodes:
  - { name: dev, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, count: 2, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
${edges}
links:
  - { between: [dev, ap-1], bandwidth: 100 Mbit/s, delay: 0 s }
${links}
models:
  - name: two
    input: 1 MB
    layers:
      - { name: a, flops: 0.1 GFLOP, params: 1000, output: 1 kB }
      - { name: b, flops: 0.1 GFLOP, params: 1000, output: 1 kB }
workloads:
  - { on: dev, model: two, arrivals: { periodic: 1 s }, placement: { nearest: edge } }
policies:
  partitioning: edelear
${NOMADIC}`;
}

describe('a nearest placement that follows a moving device', () => {
  // edge-2 is nearest to ap-2 (1 ms against 1 + 5 ms) but 1 kB of memory cannot hold the model's 4 kB of weights (1,000 fp32 parameters).
  const text = `name: fit
duration: 100 s
nodes:
  - { name: dev, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, count: 2, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: edge-1, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 10 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: edge-2, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 1 kB, power: { idle: 0 W, busy: 0 W } }
links:
  - { between: [dev, ap-1], bandwidth: 100 Mbit/s, delay: 1 ms }
  - { between: [ap-1, edge-1], bandwidth: 1 Gbit/s, delay: 1 ms }
  - { between: [ap-2, edge-2], bandwidth: 1 Gbit/s, delay: 1 ms }
  - { between: [edge-1, edge-2], bandwidth: 1 Gbit/s, delay: 5 ms }
models:
  - { name: task, input: 10 kB, layers: [{ name: t, flops: 0.1 GFLOP, params: 1000, output: 1 kB }] }
workloads:
  - { on: dev, model: task, arrivals: { periodic: 1 s }, placement: { nearest: edge } }
${NOMADIC}`;

  it('moves it only to nodes that can hold its model: after the move to ap-2 it stays on edge-1, not the nearer edge-2', () => {
    const spec = specOf('fit', text);
    const names = spec.mobility!.follow![0]!.among.map((k) => spec.nodes[k].name);
    expect(names).toEqual(['edge-1']);
    const { world, done } = runWithMove(spec, 50.5);
    expect(world.mobility!.moves).toBe(1);
    const edge1 = spec.nodes.findIndex((n) => n.name === 'edge-1');
    expect(done.length).toBeGreaterThan(95);
    expect(done.every((d) => d.node === edge1)).toBe(true);
    expect(world.meters.totals(spec.nodes.findIndex((n) => n.name === 'edge-2')).served).toBe(0);
    // 10 kB of memory holds the 4 kB of weights but not a request beside them (10 kB in, 1 kB out: 15 kB): left out too (helper-87: weights alone let it in).
    const tight = specOf('tight', text.replace('memory: 1 kB', 'memory: 10 kB'));
    expect(tight.mobility!.follow![0]!.among.map((k) => tight.nodes[k].name)).toEqual(['edge-1']);
    const roomy = specOf('roomy', text.replace('memory: 1 kB', 'memory: 16 kB'));
    expect(roomy.mobility!.follow![0]!.among.map((k) => roomy.nodes[k].name)).toEqual(['edge-1', 'edge-2']);
  });
});

describe('partitioning follows a moving device', () => {
  // A two-layer model, 1 MB in, 1 kB between the layers and out. The device computes a layer in 0.1 s,
  // the edge in 0.01 s. From ap-1 (radio 100 Mbit/s, backhaul 1 Gbit/s) sending the input takes
  // 0.08 + 0.008 s: k = 0 (≈ 0.11 s) beats k = 1 (≈ 0.11 s + 0.1 s of device) and k = 2 (0.2 s). From
  // ap-2 the backhaul is 10 kbit/s: the input would take 800 s, 1 kB 0.8 s, so all local (k = 2, 0.2 s) wins.
  const text = splitScenario(
    'split',
    '  - { name: edge, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 10 GB, power: { idle: 0 W, busy: 0 W } }',
    ['  - { between: [ap-1, edge], bandwidth: 1 Gbit/s, delay: 0 s }', '  - { between: [ap-2, edge], bandwidth: 10 kbit/s, delay: 0 s }'].join('\n'),
  );

  it('decides the split again at the move, from the route through the new access point: all remote before, all local after', () => {
    const spec = specOf('split', text);
    const dev = spec.nodes.findIndex((n) => n.name === 'dev');
    const edge = spec.nodes.findIndex((n) => n.name === 'edge');
    const { world, done } = runWithMove(spec, 50.5);
    expect(world.partitioning!.splitOf[0]).toBe(2);
    const before = done.filter((d) => d.born < 50.5);
    const after = done.filter((d) => d.born > 50.5);
    expect(before.length).toBeGreaterThan(45);
    expect(after.length).toBeGreaterThan(45);
    expect(before.every((d) => d.node === edge)).toBe(true);
    expect(after.every((d) => d.node === dev)).toBe(true);
  });
});

describe('partitioning follows a moving device to another server', () => {
  // From ap-2 the nearest edge is edge-2 (4 slots): the pair's choice is edge-2's after the move.
  const text = splitScenario(
    'split-2',
    [
      '  - { name: edge-1, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 10 GB, power: { idle: 0 W, busy: 0 W } }',
      '  - { name: edge-2, kind: edge, compute: { fp32: 40 GFLOP/s }, slots: 4, memory: 10 GB, power: { idle: 0 W, busy: 0 W } }',
    ].join('\n'),
    [
      '  - { between: [ap-1, edge-1], bandwidth: 1 Gbit/s, delay: 0 s }',
      '  - { between: [ap-2, edge-2], bandwidth: 1 Gbit/s, delay: 0 s }',
      '  - { between: [edge-1, edge-2], bandwidth: 1 Gbit/s, delay: 50 ms }',
    ].join('\n'),
  );

  it("takes the new server's choice at the move, and a second run of the same spec starts from the first place's (the move left nothing behind)", () => {
    const spec = specOf('split-2', text);
    const edge1 = spec.nodes.findIndex((n) => n.name === 'edge-1');
    const edge2 = spec.nodes.findIndex((n) => n.name === 'edge-2');
    const { done } = runWithMove(spec, 50.5);
    expect(spec.partitioning!.choices[0]!.serverSlots).toBe(4);
    expect(done.filter((d) => d.born > 50.5).every((d) => d.node === edge2)).toBe(true);
    const again = runWithMove(spec, 1e9); // never moves
    expect(spec.placement.candidates[0]).toBe(edge1);
    expect(spec.partitioning!.choices[0]!.serverSlots).toBe(1);
    expect(again.done.every((d) => d.node === edge1)).toBe(true);
  });
});

describe("the lp placement's program follows a moving device", () => {
  // One device (1 GFLOP/s) and one edge server (4 GFLOP/s); the device's 100 Mbit/s radio reaches
  // ap-1, which has a 100 Mbit/s, 1 ms link to the edge, or ap-2, which has a 100 kbit/s, 50 ms one.
  // A request (0.5 GFLOP, 100 kB in, 1 kB back) computes 0.5 s on the device and 0.125 s on the
  // edge; the program's latency of an option is transfer + compute × (1 + u / (2 (1 − u))) at the
  // utilization cap u = 0.8 (offloading/view.ts estimatedLatency, one slot): compute × 3, so 1.5 s
  // on the device, and on the edge 0.375 s plus the transfer both ways, Σ (2 × delay + 8 × 101,000 B
  // / bandwidth) over the route:
  //   from ap-1: 0.00808 + (0.002 + 0.00808) = 0.01816 s → the edge (0.393 s against 1.5 s);
  //   from ap-2: 0.00808 + (0.1 + 8.08)      = 8.18808 s → the device (8.563 s against 1.5 s).
  const text = `name: lp-moves
duration: 60 s
policies: { interval: 1 s }
nodes:
  - { name: dev, kind: device, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: ap, kind: gateway, count: 2, compute: { fp32: 1 GFLOP/s }, memory: 1 GB, power: { idle: 0 W, busy: 0 W } }
  - { name: edge, kind: edge, compute: { fp32: 4 GFLOP/s }, memory: 10 GB, power: { idle: 0 W, busy: 0 W } }
links:
  - { between: [dev, ap-1], bandwidth: 100 Mbit/s, delay: 0 s }
  - { between: [ap-1, edge], bandwidth: 100 Mbit/s, delay: 1 ms }
  - { between: [ap-2, edge], bandwidth: 100 kbit/s, delay: 50 ms }
models:
  - { name: task, input: 100 kB, layers: [{ name: t, flops: 0.5 GFLOP, output: 1 kB }] }
workloads:
  - { name: w, on: dev, model: task, arrivals: { poisson: 1/s }, placement: { lp: { tier: [device, edge] } } }
${NOMADIC}`;

  it('the pair figures are computed again from the new access point at the next solve, and the plan follows them', () => {
    const spec = specOf('lp-moves', text);
    const dev = spec.nodes.findIndex((n) => n.name === 'dev');
    const edge = spec.nodes.findIndex((n) => n.name === 'edge');
    const planner = (spec.placement.policies[0] as unknown as { planner: { figuresOf(i: number): { nodes: Int32Array; transfer: Float64Array } | undefined } }).planner;
    const transferTo = (k: number) => {
      const f = planner.figuresOf(0)!;
      return f.transfer[[...f.nodes].indexOf(k)];
    };
    const { done } = runWithMove(spec, 30.5);
    expect(transferTo(edge)).toBeCloseTo(0.00808 + 0.1 + 8.08, 12);
    expect(done.filter((d) => d.born > 1 && d.born < 30.5).every((d) => d.node === edge)).toBe(true);
    expect(done.filter((d) => d.born > 32).every((d) => d.node === dev)).toBe(true);
    expect(done.filter((d) => d.born > 32).length).toBeGreaterThan(10);
    // A second run of the same spec starts from the first place's figures (the move left nothing behind).
    const again = runWithMove(spec, 1e9);
    expect(transferTo(edge)).toBeCloseTo(0.00808 + 0.002 + 0.00808, 12);
    expect(again.done.filter((d) => d.born > 1).every((d) => d.node === edge)).toBe(true);
  });
  it('of two alike devices in one class, only the one that moved changes class and plan', () => {
    // dev-1 and dev-2 are alike behind ap-1 (one class); only dev-1 moves to ap-2 (a class of its own).
    const two = text
      .replace('name: lp-moves', 'name: lp-moves-two')
      .replace('{ name: dev, kind: device,', '{ name: dev, kind: device, count: 2,')
      .replace('  - { between: [dev, ap-1], bandwidth: 100 Mbit/s, delay: 0 s }', '  - { between: [dev-1, ap-1], bandwidth: 100 Mbit/s, delay: 0 s }\n  - { between: [dev-2, ap-1], bandwidth: 100 Mbit/s, delay: 0 s }')
      .replace('on: dev,', 'on: dev-*,')
      .replace('  inFlight: delivered\n', '  inFlight: delivered\n  devices: dev-1\n');
    const spec = specOf('lp-moves-two', two);
    const idx = (name: string) => spec.nodes.findIndex((n) => n.name === name);
    const done: { born: number; node: number; device: number }[] = [];
    const observer = {
      generated() {},
      completed(pool: RequestPool, r: number) {
        done.push({ born: pool.born[r], node: pool.node[r], device: spec.workloads[pool.instance[r]].device });
      },
      dropped() {},
    };
    new World({ ...spec, mobility: { ...spec.mobility!, model: movesOnceAt(30.5) } }, observer).run();
    const after = (device: string) => done.filter((d) => d.born > 32 && d.device === idx(device));
    expect(after('dev-1').length).toBeGreaterThan(10);
    expect(after('dev-2').length).toBeGreaterThan(10);
    expect(after('dev-1').every((d) => d.node === idx('dev-1'))).toBe(true);
    expect(after('dev-2').every((d) => d.node === idx('edge'))).toBe(true);
  });
});

describe('a place whose access point reaches nothing its devices use', () => {
  it('is refused at the place, exit 2 wording, naming the nodes it cannot reach (helper-84: an internal error "no route" at the first request)', () => {
    // ap-2 has no link at all: a device there could reach no edge.
    const isolated = splitScenario('isolated', '  - { name: edge, kind: edge, compute: { fp32: 10 GFLOP/s }, memory: 8 GB, power: { idle: 0 W, busy: 0 W } }', '  - { between: [ap-1, edge], bandwidth: 1 Gbit/s, delay: 0 s }');
    expect(() => specOf('isolated', isolated)).toThrow(/mobility\.places\[1\]\.accessPoint: expected every place to reach the nodes its moving devices' requests may go to, but ap-2 reaches none of edge \(workload \S+ of dev, placed on the nearest of them\): add a link/);
    // Linked to the edge, it stands.
    expect(() => specOf('linked', isolated.replace('  - { between: [ap-1, edge], bandwidth: 1 Gbit/s, delay: 0 s }', '  - { between: [ap-1, edge], bandwidth: 1 Gbit/s, delay: 0 s }\n  - { between: [ap-2, edge], bandwidth: 1 Gbit/s, delay: 0 s }'))).not.toThrow();
    // A fixed candidate the place cannot reach: named.
    const fixed = isolated.replace('placement: { nearest: edge }', 'placement: { fixed: edge }');
    expect(() => specOf('fixed', fixed)).toThrow(/ap-2 has no route to edge \(workload \S+ of dev\): add a link/);
  });
});

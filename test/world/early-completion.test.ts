import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/metrics/simulate.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const SCALE = fileURLToPath(new URL('../../scenarios/bench/scale.yaml', import.meta.url));
const BOOKED_HOME = fileURLToPath(new URL('../fixtures/good/booked-home.yaml', import.meta.url));

/**
 * A result's last hop home may complete its request when the hop is booked (World.run allows it
 * when no trace and no view-reading policy needs completions in time order). The request's figures
 * are then the same as when the arrival is an event of its own; only the order in which the
 * collectors receive them changes, so sums agree to rounding.
 */
describe('completion when the last hop home is booked', () => {
  // 1,000 devices for 5 simulated minutes: detect requests to the nearest edge, archive to the cloud.
  const loaded = loadScenario(SCALE, ['duration=300']);
  const spec = buildWorldSpec(loaded, loadCatalog(), 7);
  const early = simulate(spec);
  const inOrder = simulate(spec, { trace: true }); // a trace needs completions in time order: one event each

  it('saves exactly one event per completed request', () => {
    const completed = early.metrics.all.completed;
    // Born after the 60 s warm-up: Poisson with mean 1,000 × (0.1 + 0.0005)/s × 240 s = 24,120 (sd 155);
    // none is dropped at utilization 0.6 with unbounded queues.
    expect(Math.abs(completed - 24_120)).toBeLessThan(4 * Math.sqrt(24_120));
    expect(early.world.completedCount).toBe(inOrder.world.completedCount);
    expect(inOrder.world.sim.eventsProcessed - early.world.sim.eventsProcessed).toBe(early.world.completedCount);
  });

  it('gives every request the same figures', () => {
    const a = early.metrics.all;
    const b = inOrder.metrics.all;
    expect(a.generated).toBe(b.generated);
    expect(a.completed).toBe(b.completed);
    expect(a.deadlineMet).toBe(b.deadlineMet);
    expect(a.droppedTotal).toBe(b.droppedTotal);
    for (const key of ['latency', 'nodeWait', 'linkWait', 'transfer', 'compute', 'energy'] as const) expect(a[key].mean).toBeCloseTo(b[key].mean, 12);
    expect(a.latency.variance).toBeCloseTo(b.latency.variance, 12);
    expect(a.latencySketch.quantile(0.95)).toBeCloseTo(b.latencySketch.quantile(0.95), 9);
  });
});

describe('results booked home ahead stay in flight until they arrive', () => {
  const spec = buildWorldSpec(loadScenario(BOOKED_HOME), loadCatalog());
  const early = simulate(spec);
  const inOrder = simulate(spec, { trace: true });

  it('the in-flight limit stops the run at the same birth, with the same requests completed', () => {
    // With arrivals at 1/s and 0.88 s per result on the way home, the backlog grows only by the
    // Poisson gaps shorter than 0.88 s: the limit of 3 is passed within seconds, not at the end.
    expect(inOrder.world.stopped).toBeDefined();
    expect(inOrder.world.end).toBeLessThan(60);
    expect(early.world.stopped).toBe(inOrder.world.stopped);
    expect(early.world.end).toBe(inOrder.world.end);
    expect(early.world.completedCount).toBe(inOrder.world.completedCount);
    expect(early.world.inFlight).toBe(inOrder.world.inFlight);
    expect(early.metrics.all.latency.mean).toBeCloseTo(inOrder.metrics.all.latency.mean, 12);
  });
});


describe('completion when booked, with policies reading the view at ticks', () => {
  // The bench's lp arm at 1,000 devices: detect placed by the lp program over each device and the
  // 10 edge servers, re-solved every 10 s from the measured view, edge servers partitioned under
  // EDeLeaR's allocation. A tick first completes the results that have arrived by then, so every
  // solve reads the same view, every request gets the same plan and the same figures.
  const overrides = [
    'duration=300',
    'workloads[0].placement={ lp: { tier: [device, edge] } }',
    'policies={ interval: 10 s, allocation: edelear }',
    'nodes[2].scheduler={ partitioned: { detect: 1 } }',
  ];
  const spec = buildWorldSpec(loadScenario(SCALE, overrides), loadCatalog(), 7);
  const early = simulate(spec);
  const inOrder = simulate(spec, { trace: true });

  it('saves one event per completed request and changes no figure', () => {
    expect(early.world.completedCount).toBeGreaterThan(20_000);
    expect(inOrder.world.sim.eventsProcessed - early.world.sim.eventsProcessed).toBe(early.world.completedCount);
    const a = early.metrics.all;
    const b = inOrder.metrics.all;
    expect(a.generated).toBe(b.generated);
    expect(a.completed).toBe(b.completed);
    expect(a.droppedTotal).toBe(b.droppedTotal);
    for (const key of ['latency', 'nodeWait', 'compute', 'energy'] as const) expect(a[key].mean).toBeCloseTo(b[key].mean, 12);
    expect(a.latency.variance).toBeCloseTo(b.latency.variance, 12);
  });
});

describe('completion when booked keeps completions in time order', () => {
  // Some devices keep their requests (lp at a 0.3 cap over [device, edge]): local completions are
  // events of their own between results booked home; the view's recent-latency average (an EWMA
  // over requests, order-dependent) must come out as when every arrival is an event.
  const spec = buildWorldSpec(loadScenario(SCALE, ['duration=120', 'workloads[0].placement={ lp: { tier: [device, edge], utilization: 0.3 } }', 'policies={ interval: 10 s }']), loadCatalog(), 7);
  const early = simulate(spec);
  const inOrder = simulate(spec, { trace: true });

  it('every instance’s recent latency is the same', () => {
    let compared = 0;
    for (let i = 0; i < spec.workloads.length; i++) {
      const a = early.world.view.recentLatency(i);
      const b = inOrder.world.view.recentLatency(i);
      if (a !== a && b !== b) continue;
      compared++;
      expect(a, `instance ${i}`).toBe(b);
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

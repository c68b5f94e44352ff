import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { EventQueue, type QueueLayout } from '../../src/core/queue.ts';
import { simulate } from '../../src/metrics/simulate.ts';
import { summarize } from '../../src/metrics/summary.ts';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { loadScenario } from '../../src/scenario/load.ts';

/**
 * Reading ahead (world/warm.ts): the event queue tells of each event as it moves from its calendar
 * into its heap, and the world then reads what the arrival's request will read. It must change
 * nothing, and tell of every calendar event once before it pops and of none other.
 */
describe('EventQueue.onPromote', () => {
  const TINY: QueueLayout = { heapOnlyMax: 8, bucketEvents: 4 };

  it('tells of each event that waited in the calendar before it pops, and never of a cancellable one', () => {
    const rng = seedrandom.alea('promote');
    const q = new EventQueue(4, undefined, TINY);
    const told = new Map<number, number>(); // subject → times told
    const popped = new Set<number>();
    q.onPromote = (kinds, subjects, count) => {
      for (let j = 0; j < count; j++) {
        const subject = subjects[j];
        expect(kinds[j]).toBe(subject % 7);
        expect(popped.has(subject)).toBe(false);
        told.set(subject, (told.get(subject) ?? 0) + 1);
      }
    };
    const cancellable = new Set<number>();
    let subject = 0;
    let now = 0;
    for (let round = 0; round < 400; round++) {
      for (let k = 0; k < 3; k++) {
        const s = subject++;
        if (rng() < 0.2) {
          q.pushCancellable(now + rng() * 100, s % 7, s);
          cancellable.add(s);
        } else q.push(now + rng() * 100, s % 7, s);
      }
      if (q.pop()) {
        now = q.poppedTime;
        popped.add(q.poppedSubject);
      }
    }
    while (q.pop()) popped.add(q.poppedSubject);
    expect(popped.size).toBe(subject);
    // Most events passed through the calendar (8 fit in the heap alone). One laid out in the calendar
    // again when the heap grew past its limit is told of again when it comes back: rarely.
    expect(told.size).toBeGreaterThan(subject / 2);
    let again = 0;
    for (const [s, n] of told) {
      expect(cancellable.has(s)).toBe(false);
      again += n - 1;
    }
    expect(again).toBeLessThan(told.size / 10);
  });
});

describe('reading ahead in a world', () => {
  // 10,000 devices (20,000 arrival streams: more pending events than the heap holds alone, so
  // arrivals pass through the calendar; with 6,000 they all stay in the heap), Zipf inputs and
  // caches on devices, access points and edges (not read ahead: world/warm.ts says why, but their
  // figures must not move either).
  const SCALE = fileURLToPath(new URL('../../scenarios/bench/scale.yaml', import.meta.url));
  const loaded = loadScenario(SCALE, [
    'nodes[0].count=10000',
    'nodes[1].count=100',
    'nodes[2].count=100',
    'duration=40',
    'warmup=10',
    'workloads[0].inputs={ zipf: 0.8, catalog: 10000 }',
    'nodes[0].cache={ capacity: 50, policy: edelear, lookup: 0.1 ms }',
    'nodes[1].cache={ capacity: 500, policy: lru, lookup: 0.2 ms }',
    'nodes[2].cache={ capacity: 500, policy: lfu, lookup: 0.2 ms }',
  ]);
  const spec = buildWorldSpec(loaded, loadCatalog(), 3);
  const ahead = simulate(spec);
  const not = simulate({ ...spec, readAhead: false });

  it('reads ahead for most arrivals', () => {
    // Every arrival but those due before the first calendar bucket moves is read ahead for.
    expect(ahead.world.warmer.warmed).toBeGreaterThan(0.9 * ahead.world.generatedCount);
    expect(ahead.world.warmer.warmed).toBeLessThanOrEqual(ahead.world.generatedCount + spec.workloads.length);
    expect(not.world.warmer.warmed).toBe(0);
  });

  it('changes no figure', () => {
    expect(ahead.world.sim.eventsProcessed).toBe(not.world.sim.eventsProcessed);
    // Every table a run writes (run, latency, nodes, links, caches…), to the last bit.
    const labels = { scenario: 'read-ahead', seed: 3 };
    expect(JSON.stringify(summarize(not, labels))).toBe(JSON.stringify(summarize(ahead, labels)));
    expect(ahead.world.completedCount).toBeGreaterThan(0);
  });
});

import seedrandom from 'seedrandom';
import { describe, expect, it, vi } from 'vitest';
import { NO_EVENT } from '../../src/core/queue.ts';
import { Simulator } from '../../src/core/simulator.ts';

/** A simulator at now = 12.5 s with a recording handler on kinds 0–3 and 63. */
function simAt12_5(): { sim: Simulator; seen: string[] } {
  const sim = new Simulator();
  const seen: string[] = [];
  for (const k of [0, 1, 2, 3, 63]) sim.on(k, (s, t) => seen.push(`${k}:${s}@${t}`));
  sim.run({ until: 12.5 });
  expect(sim.now).toBe(12.5);
  return { sim, seen };
}

describe('Simulator cancellation', () => {
  it('a cancelled event never runs and is not counted as processed', () => {
    const { sim, seen } = simAt12_5();
    const a = sim.scheduleCancellable(13, 1, 1);
    const b = sim.scheduleCancellable(14, 2, 2);
    sim.scheduleAt(15, 3, 3);
    expect(sim.cancel(b)).toBe(true);
    sim.run({ until: 20 });
    expect(seen).toEqual(['1:1@13', '3:3@15']);
    expect(sim.eventsProcessed).toBe(2);
    expect(sim.cancel(a)).toBe(false); // already ran
    expect(sim.cancel(b)).toBe(false); // already cancelled
    expect(sim.cancel(NO_EVENT)).toBe(false);
  });

  it('a handler can cancel a later event of the same time, and a stale handle from a handler is refused', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    let victim = NO_EVENT;
    let first = NO_EVENT;
    const results: boolean[] = [];
    sim.on(0, (s) => {
      seen.push(s);
      if (s === 1) {
        results.push(sim.cancel(victim), sim.cancel(victim), sim.cancel(first));
        // Reuses the token freed by the event now being handled: the old handle must not hit it.
        const again = sim.scheduleCancellable(5, 0, 9);
        results.push(sim.cancel(first), again !== first);
      }
    });
    first = sim.scheduleCancellable(5, 0, 1);
    victim = sim.scheduleCancellable(5, 0, 2);
    sim.scheduleAt(5, 0, 3);
    sim.run({ until: 5 });
    expect(seen).toEqual([1, 3, 9]);
    expect(results).toEqual([true, false, false, false, true]);
    expect(sim.eventsProcessed).toBe(3);
  });
});

describe('Simulator scheduling checks', () => {
  const bad: [string, number][] = [
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['12.4', 12.4],
  ];
  for (const [name, time] of bad) {
    it(`scheduleAt, scheduleCancellable and schedule refuse t = ${name} with a RangeError naming the kind`, () => {
      const { sim } = simAt12_5();
      const message = new RegExp(`^cannot schedule event kind 3 at t = ${name.replace('.', '\\.')} \\(now 12\\.5 s\\)$`);
      expect(() => sim.scheduleAt(time, 3, 0)).toThrow(RangeError);
      expect(() => sim.scheduleAt(time, 3, 0)).toThrow(message);
      expect(() => sim.scheduleCancellable(time, 3, 0)).toThrow(RangeError);
      expect(() => sim.scheduleCancellable(time, 3, 0)).toThrow(message);
      const delay = time - 12.5; // NaN, ±Infinity, -0.1
      expect(() => sim.schedule(delay, 3, 0)).toThrow(RangeError);
      expect(() => sim.schedule(delay, 3, 0)).toThrow(/event kind 3 at t = /);
      expect(sim.queue.size).toBe(0);
    });
  }

  it('accepts an event at exactly now and a zero delay', () => {
    const { sim, seen } = simAt12_5();
    sim.scheduleAt(12.5, 0, 1);
    sim.schedule(0, 0, 2);
    sim.scheduleCancellable(12.5, 0, 3);
    sim.run({ until: 12.5 });
    expect(seen).toEqual(['0:1@12.5', '0:2@12.5', '0:3@12.5']);
  });

  it('kind 63 runs; kind 64 is refused', () => {
    const { sim, seen } = simAt12_5();
    sim.scheduleAt(13, 63, 7);
    sim.scheduleCancellable(14, 63, 8);
    expect(() => sim.scheduleAt(13, 64, 0)).toThrow(RangeError);
    expect(() => sim.scheduleCancellable(13, 64, 0)).toThrow(RangeError);
    sim.run({ until: 20 });
    expect(seen).toEqual(['63:7@13', '63:8@14']);
  });
});

describe('Simulator.run clock', () => {
  it('run({until: 10}) with an empty queue leaves now = 10', () => {
    const sim = new Simulator();
    sim.run({ until: 10 });
    expect(sim.now).toBe(10);
    expect(sim.eventsProcessed).toBe(0);
  });

  it('run({until: 10}) with only later events leaves now = 10 and the events pending', () => {
    const sim = new Simulator();
    sim.on(0, () => {});
    sim.scheduleAt(4, 0, 0);
    sim.scheduleAt(20, 0, 1);
    sim.run({ until: 10 });
    expect(sim.now).toBe(10);
    expect(sim.eventsProcessed).toBe(1);
    expect(sim.queue.size).toBe(1);
    expect(sim.queue.peekTime()).toBe(20);
  });

  it('run({until: 10}) with only a cancelled event before 10 still leaves now = 10', () => {
    const sim = new Simulator();
    sim.on(0, () => {});
    sim.cancel(sim.scheduleCancellable(3, 0, 0));
    sim.run({ until: 10 });
    expect(sim.now).toBe(10);
    expect(sim.eventsProcessed).toBe(0);
  });

  it('run({until: Infinity}) leaves now at the last event time, not Infinity, and ignores a cancelled later event', () => {
    const sim = new Simulator();
    sim.on(0, (s) => {
      if (s < 3) sim.schedule(2.5, 0, s + 1);
    });
    sim.scheduleAt(1, 0, 0);
    sim.cancel(sim.scheduleCancellable(100, 0, 99));
    sim.run({ until: Infinity });
    expect(sim.now).toBe(8.5);
    expect(sim.eventsProcessed).toBe(4);
    expect(sim.queue.size).toBe(0);
  });

  it('stop() leaves the clock at the stopping event, even with a finite until beyond it', () => {
    const sim = new Simulator();
    sim.on(0, (s) => {
      if (s === 2) sim.stop();
    });
    for (let i = 1; i <= 4; i++) sim.scheduleAt(i * 1.5, 0, i);
    sim.run({ until: 10 });
    expect(sim.now).toBe(3);
    expect(sim.eventsProcessed).toBe(2);
    sim.run({ until: Infinity });
    expect(sim.now).toBe(6);
    expect(sim.eventsProcessed).toBe(4);
  });

  it('counts the events handled before a handler throws', () => {
    const sim = new Simulator();
    sim.on(0, (s) => {
      if (s === 3) throw new Error('boom');
    });
    for (let i = 1; i <= 4; i++) sim.scheduleAt(i, 0, i);
    expect(() => sim.run({ until: 10 })).toThrow('boom');
    expect(sim.eventsProcessed).toBe(2);
    expect(sim.now).toBe(3);
  });

  it('refuses to run until NaN', () => {
    const sim = new Simulator();
    expect(() => sim.run({ until: NaN })).toThrow(RangeError);
  });
});

describe('Simulator: the handled event stays at the top of the queue until its handler is done', () => {
  it('an event a handler schedules at the time of pending events runs after them (FIFO), before later ones', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.on(0, (s, t) => {
      seen.push(`${s}@${t}`);
      if (s === 1) sim.scheduleAt(1, 0, 4); // now, like 2 and 3 already pending
    });
    sim.scheduleAt(1, 0, 1);
    sim.scheduleAt(1, 0, 2);
    sim.scheduleAt(2, 0, 5);
    sim.scheduleAt(1, 0, 3);
    sim.run({ until: 10 });
    expect(seen).toEqual(['1@1', '2@1', '3@1', '4@1', '5@2']);
    expect(sim.eventsProcessed).toBe(5);
    expect(sim.queue.size).toBe(0);
  });

  it('handlers that schedule nothing, one event, or two each leave the others in order', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.on(0, (s, t) => {
      seen.push(`${s}@${t}`);
      if (s === 2) sim.schedule(0.5, 0, 20);
      if (s === 3) {
        sim.schedule(0.25, 0, 30);
        sim.schedule(0.25, 0, 31);
      }
    });
    for (let s = 1; s <= 4; s++) sim.scheduleAt(s, 0, s);
    sim.run({ until: Infinity });
    expect(seen).toEqual(['1@1', '2@2', '20@2.5', '3@3', '30@3.25', '31@3.25', '4@4']);
    expect(sim.now).toBe(4);
    expect(sim.queue.size).toBe(0);
  });

  it('a handler that cancels pending events: they never run, and its own handle is already stale', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const handles: number[] = [];
    const results: boolean[] = [];
    sim.on(0, (s) => {
      seen.push(s);
      if (s === 1) results.push(sim.cancel(handles[1]), sim.cancel(handles[2]), sim.cancel(handles[0]));
    });
    handles.push(sim.scheduleCancellable(1, 0, 1), sim.scheduleCancellable(1, 0, 2), sim.scheduleCancellable(2, 0, 3));
    sim.scheduleAt(3, 0, 4);
    sim.run({ until: 5 });
    expect(results).toEqual([true, true, false]);
    expect(seen).toEqual([1, 4]);
    expect(sim.eventsProcessed).toBe(2);
  });

  it('stop() in a handler, with or without scheduling: size, peekTime and the next run see exactly the pending events', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.on(0, (s, t) => {
      seen.push(`${s}@${t}`);
      if (s === 2) sim.stop(); // schedules nothing: the handled event is left at the top
      if (s === 4) {
        sim.scheduleAt(t, 0, 40); // written over the handled event
        sim.stop();
      }
    });
    for (let s = 1; s <= 5; s++) sim.scheduleAt(s, 0, s);
    sim.run({ until: 10 });
    expect([sim.now, sim.queue.size, sim.queue.count(0)]).toEqual([2, 3, 3]);
    sim.scheduleAt(2, 0, 21); // same time as the stopping event, scheduled after it
    expect(sim.queue.peekTime()).toBe(2);
    sim.run({ until: 10 });
    expect([sim.now, sim.queue.size, sim.queue.peekTime()]).toEqual([4, 2, 4]);
    sim.run({ until: 10 });
    expect(seen).toEqual(['1@1', '2@2', '21@2', '3@3', '4@4', '40@4', '5@5']);
    expect([sim.now, sim.queue.size, sim.eventsProcessed]).toEqual([10, 0, 7]);
  });

  it('run({until}) when the last handler schedules beyond `until`: the clock moves to `until`, the event waits', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.on(0, (s, t) => {
      seen.push(`${s}@${t}`);
      if (s < 4) sim.schedule(8, 0, s + 1);
    });
    sim.scheduleAt(4, 0, 1);
    sim.run({ until: 10 });
    expect([sim.now, sim.queue.size, sim.queue.peekTime()]).toEqual([10, 1, 12]);
    sim.run({ until: 20 });
    expect([sim.now, sim.queue.size, sim.queue.peekTime()]).toEqual([20, 1, 28]);
    sim.run({ until: Infinity });
    expect(seen).toEqual(['1@4', '2@12', '3@20', '4@28']);
    expect(sim.now).toBe(28);
  });

  it('with 5,000 subjects pending (the far tier in use), events run in (time, scheduling) order', () => {
    const rng = seedrandom.alea('sim-hold');
    const sim = new Simulator();
    // Reference: pending (time, scheduling order, subject), kept sorted.
    const ref: { t: number; o: number; s: number }[] = [];
    let order = 0;
    const delay = () => (rng() < 0.7 ? Math.floor(rng() * 100) : rng() * 100); // many ties
    const schedule = (t: number, s: number) => {
      sim.scheduleAt(t, 0, s);
      let lo = 0;
      let hi = ref.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ref[mid].t <= t) lo = mid + 1;
        else hi = mid;
      }
      ref.splice(lo, 0, { t, o: order++, s });
    };
    const seen: number[] = [];
    const expected: number[] = [];
    sim.on(0, (s, t) => {
      seen.push(s);
      const e = ref.shift()!;
      expected.push(e.s);
      expect(t).toBe(e.t);
      if (seen.length <= 40000) schedule(t + delay(), s);
    });
    for (let s = 0; s < 5000; s++) schedule(delay(), s);
    const refill = vi.spyOn(sim.queue as unknown as { refill(): void }, 'refill');
    sim.run({ until: Infinity });
    expect(refill).toHaveBeenCalled();
    expect(seen.length).toBe(45000);
    expect(seen).toEqual(expected);
  });
});

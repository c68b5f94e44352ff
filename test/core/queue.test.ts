import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { EventQueue } from '../../src/core/queue.ts';
import { Simulator } from '../../src/core/simulator.ts';

describe('EventQueue', () => {
  it('pops in (time, insertion) order, same as a stable sort (brute force over 20,000 events)', () => {
    const rng = seedrandom.alea('queue-test');
    const q = new EventQueue(4);
    const pushed: { t: number; s: number }[] = [];
    for (let i = 0; i < 20000; i++) {
      // Few distinct times, so ties are common.
      const t = Math.floor(rng() * 500);
      q.push(t, i % 7, i);
      pushed.push({ t, s: i });
    }
    const expected = [...pushed].sort((a, b) => a.t - b.t || a.s - b.s);
    for (const e of expected) {
      expect(q.pop()).toBe(true);
      expect(q.poppedTime).toBe(e.t);
      expect(q.poppedSubject).toBe(e.s);
      expect(q.poppedKind).toBe(e.s % 7);
    }
    expect(q.pop()).toBe(false);
  });

  it('interleaved pushes and pops keep the order (hold model against a sorted list)', () => {
    const rng = seedrandom.alea('hold');
    const q = new EventQueue(2);
    const ref: { t: number; s: number }[] = [];
    let seq = 0;
    for (; seq < 100; seq++) {
      const t = rng();
      q.push(t, 0, seq);
      ref.push({ t, s: seq });
    }
    for (let i = 0; i < 5000; i++) {
      ref.sort((a, b) => a.t - b.t || a.s - b.s);
      const head = ref.shift()!;
      q.pop();
      expect(q.poppedTime).toBe(head.t);
      expect(q.poppedSubject).toBe(head.s);
      const t = head.t + rng();
      q.push(t, 0, seq);
      ref.push({ t, s: seq++ });
    }
  });
});

describe('Simulator', () => {
  it('runs handlers by kind up to and including `until`, and advances the clock to it', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.on(0, (s, t) => seen.push(`a${s}@${t}`));
    sim.on(1, (s, t) => {
      seen.push(`b${s}@${t}`);
      if (s < 3) sim.schedule(1, 1, s + 1);
    });
    sim.scheduleAt(2, 0, 7);
    sim.scheduleAt(1, 1, 0);
    sim.scheduleAt(2, 0, 8);
    sim.run({ until: 3 });
    // At t = 2, a7 and a8 were scheduled before b1 (inserted while handling b0 at t = 1).
    expect(seen).toEqual(['b0@1', 'a7@2', 'a8@2', 'b1@2', 'b2@3']);
    expect(sim.now).toBe(3);
    expect(sim.eventsProcessed).toBe(5);
    expect(sim.queue.size).toBe(1);
  });

  it('refuses an event kind without a handler', () => {
    const sim = new Simulator();
    sim.scheduleAt(1, 5, 0);
    expect(() => sim.run({ until: 2 })).toThrow(/no handler for event kind 5/);
  });
});

describe('Simulator.stop', () => {
  it('ends the run after the current event, leaving later events pending', () => {
    const sim = new Simulator();
    let handled = 0;
    sim.on(0, () => {
      if (++handled === 3) sim.stop();
    });
    for (let i = 1; i <= 5; i++) sim.scheduleAt(i, 0, i);
    sim.run({ until: 10 });
    expect(handled).toBe(3);
    expect(sim.now).toBe(3);
    expect(sim.queue.size).toBe(2);
  });
});

describe('EventQueue insertion counter', () => {
  it('renumbers seqs before they overflow without changing any pop (same as a queue that never renumbers)', () => {
    const small = new EventQueue(4, 1000); // renumbers whenever its counter reaches 1000
    const reference = new EventQueue(4);
    const rng = seedrandom.alea('renumber');
    let subject = 0;
    for (let i = 0; i < 5000; i++) {
      if (rng() < 0.55) {
        const t = Math.floor(rng() * 5) + Math.floor(i / 100); // many ties
        small.push(t, 1, subject);
        reference.push(t, 1, subject++);
      } else if (reference.size > 0) {
        small.pop();
        reference.pop();
        expect(small.poppedSubject).toBe(reference.poppedSubject);
        expect(small.poppedTime).toBe(reference.poppedTime);
      }
    }
    expect(subject).toBeGreaterThan(2000);
  });

  it('refuses a subject or kind that does not fit its 32-bit payload', () => {
    const q = new EventQueue();
    expect(() => q.push(0, 16, 0)).toThrow(RangeError);
    expect(() => q.push(0, 0, 2 ** 28)).toThrow(RangeError);
  });
});

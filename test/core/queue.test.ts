import { describe, expect, it, vi } from 'vitest';
import seedrandom from 'seedrandom';
import { DEFAULT_LAYOUT, EventQueue, MAX_EVENT_KIND, MAX_EVENT_SUBJECT, NO_EVENT, type QueueLayout } from '../../src/core/queue.ts';
import { Simulator } from '../../src/core/simulator.ts';

/** A layout that brings the far tier into play with a handful of events. */
const TINY: QueueLayout = { heapOnlyMax: 8, bucketEvents: 4 };

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
    expect(() => q.push(0, 64, 0)).toThrow(RangeError);
    expect(() => q.push(0, -1, 0)).toThrow(RangeError);
    expect(() => q.push(0, 0, 2 ** 26)).toThrow(RangeError);
    expect(() => q.push(0, 0, -1)).toThrow(RangeError);
    expect(() => q.pushCancellable(0, 64, 0)).toThrow(RangeError);
    expect(() => q.pushCancellable(0, 0, 2 ** 26)).toThrow(RangeError);
    expect(q.size).toBe(0);
  });

  it('holds 64 kinds and 2^26 subjects: kind 63 with the largest subject round-trips', () => {
    expect(MAX_EVENT_KIND).toBe(63);
    expect(MAX_EVENT_SUBJECT).toBe(2 ** 26 - 1);
    const q = new EventQueue();
    q.push(2, 63, 2 ** 26 - 1);
    q.pushCancellable(1, 63, 2 ** 26 - 1);
    q.push(3, 62, 5);
    for (const [t, k, s] of [
      [1, 63, 2 ** 26 - 1],
      [2, 63, 2 ** 26 - 1],
      [3, 62, 5],
    ]) {
      expect(q.pop()).toBe(true);
      expect([q.poppedTime, q.poppedKind, q.poppedSubject]).toEqual([t, k, s]);
    }
  });
});


/** Pops everything left, as [time, kind, subject] triples. */
function drain(q: EventQueue): [number, number, number][] {
  const out: [number, number, number][] = [];
  while (q.pop()) out.push([q.poppedTime, q.poppedKind, q.poppedSubject]);
  return out;
}

describe('EventQueue cancellation', () => {
  it('a cancelled event is never popped; the others pop with their real kind and subject', () => {
    const q = new EventQueue();
    const a = q.pushCancellable(1, 3, 10);
    const b = q.pushCancellable(2, 4, 20);
    q.push(1.5, 5, 30);
    const c = q.pushCancellable(3, 6, 40);
    expect(new Set([a, b, c]).size).toBe(3);
    for (const h of [a, b, c]) expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
    expect(q.cancel(b)).toBe(true);
    expect(drain(q)).toEqual([
      [1, 3, 10],
      [1.5, 5, 30],
      [3, 6, 40],
    ]);
    expect(q.size).toBe(0);
  });

  it('cancel returns false for a handle whose event already ran or was already cancelled, and for NO_EVENT', () => {
    const q = new EventQueue();
    const ran = q.pushCancellable(1, 0, 1);
    const cancelled = q.pushCancellable(2, 0, 2);
    q.push(3, 0, 3);
    expect(q.pop()).toBe(true);
    expect(q.poppedSubject).toBe(1);
    expect(q.cancel(ran)).toBe(false);
    expect(q.cancel(cancelled)).toBe(true);
    expect(q.cancel(cancelled)).toBe(false);
    expect(q.cancel(NO_EVENT)).toBe(false);
    expect(NO_EVENT).toBe(-1);
    for (const junk of [NaN, Infinity, 0.5, -7, 2 ** 60]) expect(q.cancel(junk)).toBe(false);
    expect(q.size).toBe(1);
    expect(drain(q)).toEqual([[3, 0, 3]]);
  });

  it('a stale handle does not cancel a later event that reuses its token', () => {
    const q = new EventQueue();
    // Ran, then its token is reused.
    const old = q.pushCancellable(1, 0, 1);
    expect(q.pop()).toBe(true);
    const fresh = q.pushCancellable(2, 0, 2);
    expect(fresh).not.toBe(old);
    expect(fresh % 2 ** 26).toBe(old % 2 ** 26); // same token: only the generation tells them apart
    expect(q.cancel(old)).toBe(false);
    expect(q.size).toBe(1);
    // Cancelled, dropped from the heap, then its token is reused.
    expect(q.cancel(fresh)).toBe(true);
    expect(q.pop()).toBe(false);
    const third = q.pushCancellable(3, 0, 3);
    expect(q.cancel(fresh)).toBe(false);
    expect(q.cancel(old)).toBe(false);
    expect(drain(q)).toEqual([[3, 0, 3]]);
    expect(q.cancel(third)).toBe(false);
  });

  it('size, count and peekTime see only live events', () => {
    const q = new EventQueue();
    const h1 = q.pushCancellable(1, 2, 0);
    const h2 = q.pushCancellable(2, 2, 1);
    q.push(3, 2, 2);
    q.pushCancellable(4, 5, 3);
    expect([q.size, q.count(2), q.count(5), q.peekTime()]).toEqual([4, 3, 1, 1]);
    q.cancel(h1);
    expect([q.size, q.count(2), q.count(5), q.peekTime()]).toEqual([3, 2, 1, 2]);
    q.cancel(h2);
    expect([q.size, q.count(2), q.count(5), q.peekTime()]).toEqual([2, 1, 1, 3]);
    expect(q.pop()).toBe(true);
    expect(q.poppedTime).toBe(3);
    expect([q.size, q.count(2), q.count(5), q.peekTime()]).toEqual([1, 0, 1, 4]);
  });

  it('peekTime is Infinity and pop false when only cancelled events are left', () => {
    const q = new EventQueue();
    const hs = [5, 1, 3].map((t) => q.pushCancellable(t, 1, t));
    for (const h of hs) q.cancel(h);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBe(false);
  });

  it('sweeps out a mass of cancelled events without disturbing the order of the rest', () => {
    const rng = seedrandom.alea('sweep');
    const q = new EventQueue(4);
    const ref: { t: number; s: number; h: number }[] = [];
    for (let i = 0; i < 6000; i++) {
      const t = Math.floor(rng() * 50);
      // Mostly cancellable, so cancelling most of them leaves the heap more than half cancelled.
      ref.push({ t, s: i, h: i % 10 ? q.pushCancellable(t, 1, i) : (q.push(t, 1, i), NO_EVENT) });
    }
    const compact = vi.spyOn(q as unknown as { compact(): void }, 'compact');
    const kept = ref.filter((e) => {
      if (e.h === NO_EVENT || e.s % 3 === 0) return true;
      expect(q.cancel(e.h)).toBe(true);
      return false;
    });
    expect(compact).toHaveBeenCalled();
    for (const e of ref) if (!kept.includes(e)) expect(q.cancel(e.h)).toBe(false);
    expect(q.size).toBe(kept.length);
    expect(q.count(1)).toBe(kept.length);
    kept.sort((a, b) => a.t - b.t || a.s - b.s);
    expect(drain(q)).toEqual(kept.map((e) => [e.t, 1, e.s]));
  });

  it('handles stay valid across seq renumbering, and same-time order survives it with cancelled entries present', () => {
    const q = new EventQueue(4, 16); // renumbers whenever its counter reaches 16 (pending must stay below 16)
    const renumber = vi.spyOn(q as unknown as { renumber(): void }, 'renumber');
    /** Advances the counter by `k` pushes without growing the queue: each filler pops at once. */
    const churn = (k: number) => {
      for (let j = 0; j < k; j++) {
        q.push(1, 9, 999);
        expect(q.pop()).toBe(true);
        expect(q.poppedSubject).toBe(999);
      }
    };
    const handles: number[] = [];
    const pushSameTime = (i: number) => handles.push(i % 2 ? q.pushCancellable(7, 0, i) : (q.push(7, 0, i), NO_EVENT));
    for (let i = 0; i < 10; i++) pushSameTime(i);
    expect(q.cancel(handles[3])).toBe(true); // a cancelled entry present through the renumberings
    churn(40);
    expect(renumber.mock.calls.length).toBeGreaterThanOrEqual(3);
    for (let i = 10; i < 14; i++) pushSameTime(i);
    expect(q.cancel(handles[1])).toBe(true); // issued before three renumberings
    expect(q.cancel(handles[11])).toBe(true);
    expect(q.cancel(handles[3])).toBe(false);
    churn(40);
    expect(q.cancel(handles[9])).toBe(true);
    expect(q.size).toBe(10);
    const cancelled = new Set([1, 3, 9, 11]);
    const expected = Array.from({ length: 14 }, (_, i) => i).filter((i) => !cancelled.has(i));
    expect(drain(q).map(([, , s]) => s)).toEqual(expected);
  });

  const models: { seqLimit?: number; layout: QueueLayout; spread: boolean }[] = [
    { seqLimit: 257, layout: DEFAULT_LAYOUT, spread: false },
    { layout: DEFAULT_LAYOUT, spread: false },
    // A tiny layout puts most of the ~30 pending events in the far tier.
    { seqLimit: 257, layout: TINY, spread: false },
    { layout: TINY, spread: false },
    { seqLimit: 257, layout: TINY, spread: true },
  ];
  for (const { seqLimit, layout, spread } of models) {
    const name = `seqLimit ${seqLimit ?? 'default'}, ${layout === TINY ? 'tiny' : 'default'} layout, ${spread ? 'spread times' : 'few distinct times'}`;
    it(`matches a sorted-array model under random push/pushCancellable/cancel/pop (${name})`, () => {
      const rng = seedrandom.alea(layout === DEFAULT_LAYOUT ? `model-${seqLimit}` : `model-${name}`);
      const q = new EventQueue(2, seqLimit, layout);
      const renumber = vi.spyOn(q as unknown as { renumber(): void }, 'renumber');
      const refill = vi.spyOn(q as unknown as { refill(): void }, 'refill');
      const rebuild = vi.spyOn(q as unknown as { rebuild(): void }, 'rebuild');
      type Ev = { t: number; kind: number; s: number; order: number; h: number };
      let ref: Ev[] = []; // kept sorted by (t, order)
      const issued: number[] = []; // every handle ever returned, live or stale
      const liveByHandle = new Map<number, Ev>();
      let order = 0;
      let clock = 0;
      let cancels = 0;
      let staleCancels = 0;
      for (let step = 0; step < 20000; step++) {
        const r = rng();
        // Pushes outweigh pops while the queue is short, so it hovers around 30 pending.
        const pushShare = ref.length < 30 ? 0.5 : 0.3;
        if (r < pushShare || ref.length === 0) {
          // Few distinct times (many ties), or times over nine orders of magnitude, some
          // before the last popped one (the queue itself does not forbid them).
          const t = spread ? clock + (rng() < 0.05 ? -rng() : 10 ** (rng() * 9 - 4)) : clock + Math.floor(rng() * 8);
          const kind = Math.floor(rng() * 64);
          const e: Ev = { t, kind, s: step, order: order++, h: NO_EVENT };
          if (rng() < 0.5) q.push(t, kind, step);
          else {
            e.h = q.pushCancellable(t, kind, step);
            issued.push(e.h);
            liveByHandle.set(e.h, e);
          }
          const at = ref.findIndex((x) => x.t > t);
          ref.splice(at < 0 ? ref.length : at, 0, e);
        } else if (r < pushShare + 0.25) {
          // Mostly recent handles (often still pending), sometimes any handle ever issued (often stale).
          const pick = rng() < 0.6 ? issued.length - 1 - Math.floor(rng() * Math.min(20, issued.length)) : Math.floor(rng() * issued.length);
          const h = issued[pick] ?? NO_EVENT;
          const e = liveByHandle.get(h);
          expect(q.cancel(h)).toBe(e !== undefined);
          if (e) {
            cancels++;
            liveByHandle.delete(h);
            ref = ref.filter((x) => x !== e);
          } else staleCancels++;
        } else {
          const e = ref.shift()!;
          expect(q.peekTime()).toBe(e.t);
          expect(q.pop()).toBe(true);
          expect([q.poppedTime, q.poppedKind, q.poppedSubject]).toEqual([e.t, e.kind, e.s]);
          liveByHandle.delete(e.h);
          clock = e.t;
        }
        expect(q.size).toBe(ref.length);
        if (step % 500 === 0) {
          for (const k of [0, 17, 63]) expect(q.count(k)).toBe(ref.filter((x) => x.kind === k).length);
        }
      }
      expect(drain(q)).toEqual(ref.map((e) => [e.t, e.kind, e.s]));
      expect(cancels).toBeGreaterThan(500);
      expect(staleCancels).toBeGreaterThan(1000);
      if (seqLimit !== undefined) expect(renumber.mock.calls.length).toBeGreaterThan(10);
      if (layout === TINY) {
        // Buckets were moved into the heap and the overflow laid out again many times.
        expect(refill.mock.calls.length).toBeGreaterThan(200);
        expect(rebuild.mock.calls.length).toBeGreaterThan(50);
      }
    });
  }
});

/** Inserts {t, s} into a list kept sorted by (t, s), where s grows with every insertion: after every equal t. */
function insertSorted(list: { t: number; s: number }[], t: number, s: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, { t, s });
}

describe('EventQueue far tier', () => {
  it('a hold model with 6,000 pending events pops like a sorted list (ties, spread and far-out times)', () => {
    const rng = seedrandom.alea('far-hold');
    const q = new EventQueue();
    const refill = vi.spyOn(q as unknown as { refill(): void }, 'refill');
    const ref: { t: number; s: number }[] = [];
    let seq = 0;
    for (; seq < 6000; seq++) {
      const t = Math.floor(rng() * 3000);
      q.push(t, 1, seq);
      insertSorted(ref, t, seq);
    }
    for (let i = 0; i < 30000; i++) {
      const head = ref.shift()!;
      expect(q.pop()).toBe(true);
      expect([q.poppedTime, q.poppedSubject]).toEqual([head.t, head.s]);
      // Mostly whole delays (ties), often fractional ones, now and then one far beyond the rest.
      const r = rng();
      const t = head.t + (r < 0.5 ? Math.floor(rng() * 3000) : r < 0.95 ? rng() * 3000 : rng() * 1e6);
      q.push(t, 1, seq);
      insertSorted(ref, t, seq++);
    }
    expect(refill.mock.calls.length).toBeGreaterThan(100); // the far tier was in use
    expect(q.size).toBe(6000);
  });

  const awkward: [string, (i: number) => number][] = [
    ['all at one time', () => 42],
    ['a few times, each held by thousands', (i) => i % 3],
    ['powers of two', (i) => 2 ** ((i * 7) % 61)],
    ['zero, tiny, huge and infinite times', (i) => [0, 1e-300, 5e-324, 1, 1e300, Infinity, -Infinity][i % 7] * ((i % 5) + 1)],
  ];
  for (const layout of [DEFAULT_LAYOUT, TINY]) {
    for (const [name, time] of awkward) {
      it(`times that do not spread evenly keep (time, insertion) order: ${name} (${layout === TINY ? 'tiny' : 'default'} layout)`, () => {
        const q = new EventQueue(16, undefined, layout);
        const ref: { t: number; s: number }[] = [];
        let s = 0;
        const pushSome = (k: number) => {
          for (let j = 0; j < k; j++, s++) {
            q.push(time(s), 3, s);
            insertSorted(ref, time(s), s);
          }
        };
        pushSome(10000);
        for (let j = 0; j < 3000; j++) {
          const e = ref.shift()!;
          expect(q.pop()).toBe(true);
          expect([q.poppedTime, q.poppedSubject]).toEqual([e.t, e.s]);
        }
        pushSome(5000);
        expect(drain(q)).toEqual(ref.map((e) => [e.t, 3, e.s]));
      });
    }
  }
});

describe('EventQueue popped top (removed lazily, or replaced by the next push)', () => {
  it('a push after a pop, at the time of pending events, pops after them and before later ones', () => {
    const q = new EventQueue();
    q.push(1, 0, 1);
    q.push(2, 0, 2);
    q.push(2, 0, 3);
    q.push(3, 0, 4);
    expect(q.pop()).toBe(true);
    expect(q.poppedSubject).toBe(1);
    q.push(2, 0, 5);
    expect(drain(q)).toEqual([
      [2, 0, 2],
      [2, 0, 3],
      [2, 0, 5],
      [3, 0, 4],
    ]);
  });

  it('a push after a pop, earlier than every pending event, pops next', () => {
    const q = new EventQueue();
    q.push(5, 0, 1);
    q.push(6, 0, 2);
    q.push(7, 0, 3);
    q.pop();
    q.push(5.5, 1, 4);
    expect(drain(q)).toEqual([
      [5.5, 1, 4],
      [6, 0, 2],
      [7, 0, 3],
    ]);
  });

  it('after a pop with no push, size, count and peekTime do not see the popped event', () => {
    const q = new EventQueue();
    q.push(1, 2, 1);
    q.push(2, 2, 2);
    q.pushCancellable(3, 2, 3);
    expect(q.pop()).toBe(true);
    expect([q.size, q.count(2)]).toEqual([2, 2]);
    expect(q.pop()).toBe(true);
    expect(q.poppedSubject).toBe(2);
    expect([q.size, q.count(2), q.peekTime(), q.size]).toEqual([1, 1, 3, 1]);
    expect(q.pop()).toBe(true);
    expect([q.size, q.count(2), q.peekTime()]).toEqual([0, 0, Infinity]);
    expect(q.pop()).toBe(false);
  });

  it("a popped cancellable event's handle is stale at once, and its token can be reused by the next push", () => {
    const q = new EventQueue();
    const h = q.pushCancellable(1, 0, 1);
    q.push(2, 0, 2);
    expect(q.pop()).toBe(true);
    expect(q.poppedSubject).toBe(1);
    expect(q.cancel(h)).toBe(false);
    const again = q.pushCancellable(1.5, 0, 3); // written over the popped entry, with its token
    expect(again % 2 ** 26).toBe(h % 2 ** 26);
    expect(again).not.toBe(h);
    expect(q.cancel(h)).toBe(false);
    expect(q.size).toBe(2);
    expect(q.cancel(again)).toBe(true);
    expect(drain(q)).toEqual([[2, 0, 2]]);
  });

  for (const layout of [DEFAULT_LAYOUT, TINY]) {
    const name = layout === TINY ? 'tiny' : 'default';
    it(`a sweep of cancelled entries while a popped cancellable event is still at the top frees its token once (${name} layout)`, () => {
      const q = new EventQueue(4, undefined, layout);
      const compact = vi.spyOn(q as unknown as { compact(): void }, 'compact');
      const handles = Array.from({ length: 3000 }, (_, i) => q.pushCancellable(i, 1, i));
      expect(q.pop()).toBe(true);
      expect(q.poppedSubject).toBe(0);
      for (let i = 1; i < 3000; i++) if (i % 4 !== 0) expect(q.cancel(handles[i])).toBe(true);
      expect(compact).toHaveBeenCalled();
      // A token freed twice would be handed out twice: these handles would then collide.
      const fresh = Array.from({ length: 3000 }, (_, i) => q.pushCancellable(5000 + i, 2, i));
      expect(new Set(fresh.map((x) => x % 2 ** 26)).size).toBe(3000);
      for (let i = 0; i < 3000; i += 2) expect(q.cancel(fresh[i])).toBe(true);
      for (let i = 0; i < 3000; i++) if (i % 4 !== 0) expect(q.cancel(handles[i])).toBe(false);
      const kept = Array.from({ length: 749 }, (_, k) => [4 * (k + 1), 1, 4 * (k + 1)]);
      const later = Array.from({ length: 1500 }, (_, k) => [5001 + 2 * k, 2, 1 + 2 * k]);
      expect(drain(q)).toEqual([...kept, ...later]);
    });

    it(`renumbering seqs while the popped top is still there keeps same-time order and handles (${name} layout)`, () => {
      const q = new EventQueue(4, 16, layout); // renumbers when its counter reaches 16
      const renumber = vi.spyOn(q as unknown as { renumber(): void }, 'renumber');
      const handles: number[] = [];
      const pushAt7 = (s: number) => handles.push(s % 2 ? q.pushCancellable(7, 0, s) : (q.push(7, 0, s), NO_EVENT));
      for (let s = 0; s < 10; s++) pushAt7(s);
      expect(q.pop()).toBe(true); // 0; the push of 10 is written over it
      for (let s = 10; s < 16; s++) pushAt7(s);
      expect(q.cancel(handles[3])).toBe(true);
      expect(q.pop()).toBe(true); // 1, left at the top
      expect(q.poppedSubject).toBe(1);
      expect(renumber).not.toHaveBeenCalled();
      pushAt7(16); // counter at 16: renumbered with the popped top still in place
      expect(renumber).toHaveBeenCalledTimes(1);
      expect(q.cancel(handles[1])).toBe(false);
      expect(q.cancel(handles[5])).toBe(true); // issued before the renumbering
      expect(q.size).toBe(13);
      const expected = Array.from({ length: 17 }, (_, s) => s).filter((s) => s > 1 && s !== 3 && s !== 5);
      expect(drain(q).map(([t, , s]) => [t, s])).toEqual(expected.map((s) => [7, s]));
    });
  }
});

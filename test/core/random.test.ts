import { describe, expect, it } from 'vitest';
import { RandomStreams, StreamBank } from '../../src/core/random.ts';

describe('StreamBank', () => {
  it("gives exactly seedrandom alea's sequence of each (seed, name, key) stream", () => {
    // The bank restates alea's step; any slip in it (a constant, the carry) changes every draw.
    const streams = new RandomStreams(42);
    const bank = new StreamBank(streams, 'arrivals', 3, 2);
    for (let i = 0; i < 3; i++) {
      const reference = streams.stream('arrivals', i);
      for (let n = 0; n < 1000; n++) expect(bank.next(i)).toBe(reference());
    }
  });

  it('keeps streams independent, and its Rng view continues the same sequence', () => {
    const streams = new RandomStreams(7);
    const bank = new StreamBank(streams, 'service', 2);
    const a = streams.stream('service', 0);
    const b = streams.stream('service', 1);
    const rng1 = bank.rng(1);
    // Interleaved draws on stream 0 and 1, through next() and the Rng view alike.
    for (let n = 0; n < 100; n++) {
      expect(bank.next(0)).toBe(a());
      expect(rng1()).toBe(b());
      expect(bank.next(1)).toBe(b());
    }
  });

  it("leaves the owner's extra numbers alone", () => {
    const bank = new StreamBank(new RandomStreams(1), 'arrivals', 2, 2);
    bank.data[4] = 3.5;
    bank.data[bank.stride + 5] = -1;
    for (let n = 0; n < 10; n++) bank.next(0), bank.next(1);
    expect([bank.data[4], bank.data[bank.stride + 5]]).toEqual([3.5, -1]);
  });
});

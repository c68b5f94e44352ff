import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RandomStreams, StreamBank } from '../../src/core/random.ts';

describe('RandomStreams', () => {
  it("gives exactly seedrandom 3's alea sequence for each (seed, name, key)", () => {
    // edelear restates alea (seeding by Mash, then the step); any slip changes every draw.
    for (const seed of [1, 42, 2 ** 31 - 1]) {
      const streams = new RandomStreams(seed);
      for (const [name, key] of [['arrivals', 0], ['service', 12345], ['policy', ''], ['training', 'client-7']] as const) {
        const ours = streams.stream(name, key);
        const reference = seedrandom.alea(streams.key(name, key));
        for (let n = 0; n < 2000; n++) expect(ours()).toBe(reference());
      }
    }
  });
});

describe('StreamBank', () => {
  it("gives exactly seedrandom alea's sequence of each (seed, name, key) stream", () => {
    // The bank restates alea's step; any slip in it (a constant, the carry) changes every draw.
    const streams = new RandomStreams(42);
    const bank = new StreamBank(streams, 'arrivals', 3, 2);
    for (let i = 0; i < 3; i++) {
      const reference = seedrandom.alea(streams.key('arrivals', i));
      for (let n = 0; n < 1000; n++) expect(bank.next(i)).toBe(reference());
    }
  });

  it("seeds stream i from its key's digits without making the key (i of 1 to 6 digits): seedrandom's sequence", () => {
    // The bank hashes the key's shared prefix once and then i's decimal digits; a digit out of order,
    // a dropped leading or trailing digit, or a zero mishandled changes the stream.
    const streams = new RandomStreams(20261128);
    const bank = new StreamBank(streams, 'failures', 100_001, 0, true); // lazy: only the streams drawn from are seeded
    for (const i of [0, 1, 7, 9, 10, 11, 99, 100, 101, 1000, 9999, 10_000, 10_203, 99_999, 100_000]) {
      const reference = seedrandom.alea(streams.key('failures', i));
      for (let n = 0; n < 5; n++) expect(bank.next(i), `stream ${i}`).toBe(reference());
    }
  });

  it('seeds a lazy stream on its first draw, whatever the order, and at() draws from the stream named', () => {
    const streams = new RandomStreams(9);
    const lazy = new StreamBank(streams, 'service', 4, 0, true);
    const reference = [0, 1, 2, 3].map((i) => seedrandom.alea(streams.key('service', i)));
    // Stream 3 first, 0 never: each still gives its own sequence from its first number.
    for (let n = 0; n < 50; n++) {
      expect(lazy.at(3)()).toBe(reference[3]());
      expect(lazy.next(1)).toBe(reference[1]());
      expect(lazy.at(2)()).toBe(reference[2]());
    }
    expect(lazy.data[0]).toBe(-1); // stream 0 never drew: not seeded
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

  it("keeps streams in another bank's records (within): each its own sequence, lazily seeded, every other number left alone", () => {
    // world.ts keeps an instance's compute-time and input streams in its arrival stream's record.
    const streams = new RandomStreams(11);
    const host = new StreamBank(streams, 'arrivals', 3, 2 + 8); // 2 owner's numbers, then two streams of 4
    for (let i = 0; i < 3; i++) (host.data[i * host.stride + 4] = 10 + i), (host.data[i * host.stride + 5] = 20 + i);
    const service = StreamBank.within(streams, 'service', 3, host, 6);
    const inputs = StreamBank.within(streams, 'inputs', 3, host, 10);
    expect(service.touch(1)).toBe(-1); // not seeded before its first draw: its record holds the unseeded mark
    const ref = (name: 'arrivals' | 'service' | 'inputs', i: number) => seedrandom.alea(streams.key(name, i));
    const refs = [0, 1, 2].map((i) => [ref('arrivals', i), ref('service', i), ref('inputs', i)]);
    // Interleaved draws of the three streams of each record, stream 2's first.
    for (let n = 0; n < 200; n++) {
      for (const i of [2, 0, 1]) {
        expect(inputs.at(i)()).toBe(refs[i][2]());
        expect(host.next(i)).toBe(refs[i][0]());
        expect(service.next(i)).toBe(refs[i][1]());
      }
    }
    for (let i = 0; i < 3; i++) expect([host.data[i * host.stride + 4], host.data[i * host.stride + 5]]).toEqual([10 + i, 20 + i]);
    // A stream that does not fit the record is refused.
    expect(() => StreamBank.within(streams, 'service', 3, host, 11)).toThrow(RangeError);
    expect(() => StreamBank.within(streams, 'service', 4, host, 6)).toThrow(RangeError);
  });
});

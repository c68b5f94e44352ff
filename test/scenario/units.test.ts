import { all, create } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { normalize, QUANTITIES, type Quantity, SIMPLE_UNITS, toSI } from '../../src/scenario/units.ts';

// The oracle: mathjs with every function, as units.ts used it before it had a fast path.
const math = create(all);
math.createUnit('FLOP', { prefixes: 'short', aliases: ['FLOPs'] });
function viaMathjs(text: string, quantity: Quantity): number | 'wrong kind' {
  const q = QUANTITIES[quantity];
  const siUnit = 'mathjs' in q ? q.mathjs : q.unit;
  const unit = math.unit(normalize(text));
  if (!unit.equalBase(math.unit(`1 ${siUnit}`))) return 'wrong kind';
  return unit.toNumber(siUnit);
}
function viaToSI(text: string, quantity: Quantity): number | 'wrong kind' {
  try {
    return toSI(text, quantity);
  } catch (e) {
    if (/which is not a/.test((e as Error).message)) return 'wrong kind';
    throw e;
  }
}

const QUANTITY_NAMES = Object.keys(QUANTITIES) as Quantity[];
const NUMBERS = ['1', '0.5', '54', '1.2', '150', '3e-3', '7E5', '.25', '12.'];
/** Every unit word the fast path reads: each unit with each of its prefixes. */
const WORDS = Object.entries(SIMPLE_UNITS).flatMap(([name, u]) => Object.keys(u.prefixes).map((p) => p + name));

describe('unit strings: the fast path agrees with mathjs number for number', () => {
  it('for every prefixed unit it reads, alone, in every quantity', () => {
    let checked = 0;
    for (const word of WORDS) {
      for (const n of NUMBERS) {
        for (const q of QUANTITY_NAMES) {
          const text = `${n} ${word}`;
          // toBe: the same double, not merely close (results must not move when the path changes).
          expect(viaToSI(text, q), `${text} as ${q}`).toBe(viaMathjs(text, q));
          checked++;
        }
      }
    }
    expect(checked).toBe(WORDS.length * NUMBERS.length * QUANTITY_NAMES.length);
  });

  it('for every ratio of two of its units, and for a number over a unit', () => {
    for (const top of WORDS) {
      for (const bottom of ['s', 'ms', 'min', 'h', 'b', 'kb', 'B', 'MiB', 'Hz']) {
        for (const q of ['bandwidth', 'throughput', 'energyPerBit', 'rate', 'power'] as const) {
          const text = `2.5 ${top}/${bottom}`;
          expect(viaToSI(text, q), `${text} as ${q}`).toBe(viaMathjs(text, q));
        }
      }
    }
    for (const text of ['5/s', '0.2/ms', '3 / min', '1e3/h']) expect(viaToSI(text, 'rate')).toBe(viaMathjs(text, 'rate'));
  });

  it('the networking spellings and anything beyond the fast path still read as mathjs reads them', () => {
    const cases: [string, Quantity, number][] = [
      ['54 Mbit/s', 'bandwidth', 54e6],
      ['1 Gbps', 'bandwidth', 1e9],
      ['2 hours', 'time', 7200], // not in the fast path's table: mathjs reads it
      ['1.5 kWh', 'energy', 5.4e6],
      ['3 GFLOPs/s', 'throughput', 3e9],
    ];
    for (const [text, q, si] of cases) {
      expect(toSI(text, q)).toBe(viaMathjs(text, q));
      expect(toSI(text, q)).toBeCloseTo(si, 6);
    }
    // Written against the number, as "2ms" and "150KiB" are read (helper-74: "54Mbit/s" said `unit "Mbit" not found`).
    expect(toSI('54Mbit/s', 'bandwidth')).toBe(54e6);
    expect(toSI('1Gbps', 'bandwidth')).toBe(1e9);
    expect(toSI('10kbit/s', 'bandwidth')).toBe(1e4);
    expect(toSI('50nJ/bit', 'energyPerBit')).toBeCloseTo(50e-9, 20);
    expect(normalize('54Mbit/s')).toBe('54Mb/s');
    expect(normalize('orbit')).toBe('orbit'); // not inside a word
    // And the spellings helper-76 found refused: Pbps, a capital K, Mibps.
    expect(toSI('1 Pbps', 'bandwidth')).toBe(1e15);
    expect(toSI('1 Kbit/s', 'bandwidth')).toBe(1e3);
    expect(toSI('56Kbps', 'bandwidth')).toBe(56e3);
    expect(toSI('1 Mibps', 'bandwidth')).toBe(1024 ** 2);
    expect(toSI('150 KiB', 'bytes')).toBe(150 * 1024); // KiB stays binary bytes
    expect(toSI('1 Kibit/s', 'bandwidth')).toBe(1024); // and Kibit binary bits (helper-77: it read "kib", not found)
    expect(toSI('1 Kibps', 'bandwidth')).toBe(1024);
    expect(toSI('1 Kb/s', 'bandwidth')).toBe(1000); // helper-78: "Kb" not found, where Kbit/s and Kbps read
    expect(() => toSI('5 parsecs/s', 'bandwidth')).toThrow(/expected a bandwidth .* got "5 parsecs\/s"/);
    expect(() => toSI('5 ms', 'bandwidth')).toThrow(/which is not a bandwidth/);
  });
});

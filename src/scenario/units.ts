import { all, create, type Unit } from 'mathjs';

const math = create(all);
math.createUnit('FLOP', { prefixes: 'short', aliases: ['FLOPs'] });

/** Physical quantities a scenario writes, each with the SI unit used inside edelear. */
export const QUANTITIES = {
  time: { unit: 's', example: '15 ms' },
  bandwidth: { unit: 'bit/s', example: '54 Mbit/s' },
  bytes: { unit: 'B', example: '150 KiB' },
  power: { unit: 'W', example: '6.4 W' },
  energy: { unit: 'J', example: '10 Wh' },
  throughput: { unit: 'FLOP/s', example: '1.2 TFLOP/s' },
  flops: { unit: 'FLOP', example: '0.6 GFLOP' },
  rate: { unit: '1/s', example: '5/s', mathjs: 'Hz' },
  energyPerBit: { unit: 'J/bit', example: '50 nJ/bit' },
} as const;
/** One of the keys of {@link QUANTITIES}. */
export type Quantity = keyof typeof QUANTITIES;

/** Accepts the networking spellings mathjs lacks: "Mbit" → "Mb", "Mbps" → "Mb/s". */
function normalize(text: string): string {
  return text
    .trim()
    .replace(/\b([kMGTP]i?)bits?\b/g, '$1b')
    .replace(/\bbits?\b/g, 'b')
    .replace(/\b([kMGT]?)bps\b/g, '$1b/s');
}

/**
 * Converts a scenario value to the SI number of a quantity: a bare number is taken as
 * already in the SI unit; a string is parsed by mathjs ("54 Mbit/s", "2 GiB", "5/s").
 * Throws an Error whose message says what was expected.
 */
export function toSI(value: unknown, quantity: Quantity): number {
  const q = QUANTITIES[quantity];
  const expected = expectedQuantity(quantity);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`expected ${expected}, got ${value}`);
    return value;
  }
  if (typeof value !== 'string') throw new Error(`expected ${expected}, got ${typeName(value)}`);
  if (value.trim() === '') throw new Error(`expected ${expected}, got an empty string`);
  const text = value.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  let unit: Unit;
  try {
    unit = math.unit(normalize(text));
  } catch (e) {
    throw new Error(`expected ${expected}, got "${value}": ${(e as Error).message}`);
  }
  const siUnit = 'mathjs' in q ? q.mathjs : q.unit;
  const target = math.unit(`1 ${siUnit}`);
  if (!unit.equalBase(target)) {
    throw new Error(`expected ${expected}, got "${value}", which is not a ${describeQuantity(quantity)}`);
  }
  if (unit.value === null) throw new Error(`expected ${expected}, got "${value}" without a number`);
  const si = unit.toNumber(siUnit);
  if (!Number.isFinite(si)) throw new Error(`expected ${expected}, got "${value}"`);
  return si;
}

/** The quantity's name in messages: "bandwidth", "size in bytes", "energy per bit"… */
export function describeQuantity(quantity: Quantity): string {
  return quantity === 'energyPerBit' ? 'energy per bit' : quantity === 'flops' ? 'FLOP count' : quantity === 'bytes' ? 'size in bytes' : quantity;
}

/** What a quantity looks like, for "expected …" messages: `a bandwidth such as "54 Mbit/s" (a bare number is in bit/s)`. */
export function expectedQuantity(quantity: Quantity): string {
  const q = QUANTITIES[quantity];
  return `a ${describeQuantity(quantity)} such as "${q.example}" (a bare number is in ${q.unit})`;
}

/** A short name of a value's type for error messages. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

import { createRequire } from 'node:module';
import type { MathJsInstance, Unit } from 'mathjs';

/**
 * mathjs, made when a unit string is first seen that the fast path below does not read
 * (importing it with every function costs about 2 CPU-seconds, more than the rest of a
 * command's start-up together).
 */
let mathInstance: MathJsInstance | undefined;
function mathjs(): MathJsInstance {
  if (!mathInstance) {
    const { create, all } = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
    mathInstance = create(all);
    mathInstance.createUnit('FLOP', { prefixes: 'short', aliases: ['FLOPs'] });
  }
  return mathInstance;
}

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
  length: { unit: 'm', example: '1.5 km' },
  speed: { unit: 'm/s', example: '5 km/h' },
} as const;
/** One of the keys of {@link QUANTITIES}. */
export type Quantity = keyof typeof QUANTITIES;

/**
 * Accepts the networking spellings mathjs lacks: "Mbit" → "Mb", "Mbps" → "Mb/s", "Kbps" → "kb/s" — also written
 * against the number ("54Mbit/s", as "2ms" and "150KiB" are read): a unit starts after a digit,
 * a space or the start, not inside a word.
 */
export function normalize(text: string): string {
  return text
    .trim()
    .replace(/(?<![A-Za-z])K(bits?|bps|b)\b/g, 'k$1') // "Kbit/s", "Kbps", "Kb/s": the kilo of networking's habit ("Kibit" stays binary, "KB" bytes)
    .replace(/(?<![A-Za-z])([kKMGTP]i?)bits?\b/g, '$1b')
    .replace(/(?<![A-Za-z])bits?\b/g, 'b')
    .replace(/(?<![A-Za-z])([kKMGTP]?i?)bps\b/g, '$1b/s');
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
    if (!Number.isFinite(value)) throw new Error(`expected ${expected}, got ${typeName(value)}`);
    return value;
  }
  if (typeof value !== 'string') throw new Error(`expected ${expected}, got ${typeName(value)}`);
  if (value.trim() === '') throw new Error(`expected ${expected}, got an empty string`);
  const text = value.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  const fast = readSimple(normalize(text), quantity);
  if (fast !== undefined) {
    if (fast === WRONG_KIND) throw new Error(`expected ${expected}, got "${value}", which is not ${withArticle(describeQuantity(quantity))}`);
    return fast;
  }
  const math = mathjs();
  let unit: Unit;
  try {
    unit = math.unit(normalize(text));
  } catch (e) {
    // mathjs says `Unit "abc" not found.`: in the sentence's case, without its full stop.
    const why = (e as Error).message.replace(/\.$/, '');
    throw new Error(`expected ${expected}, got "${value}": ${why.charAt(0).toLowerCase()}${why.slice(1)}`);
  }
  const siUnit = 'mathjs' in q ? q.mathjs : q.unit;
  const target = math.unit(`1 ${siUnit}`);
  if (!unit.equalBase(target)) {
    throw new Error(`expected ${expected}, got "${value}", which is not ${withArticle(describeQuantity(quantity))}`);
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
  return `${withArticle(describeQuantity(quantity))} such as "${q.example}" (a bare number is in ${q.unit})`;
}

/** "a bandwidth", "an energy". */
function withArticle(name: string): string {
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** A short name of a value's type for error messages. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // JSON has no Infinity or NaN (it writes them null): YAML's .inf, -.inf and .nan are named as such.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value !== value ? '.nan' : value > 0 ? '.inf' : '-.inf'} (not a finite number)`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

// ----- the fast path: "number unit" and "number unit/unit" with the units scenarios use -----

/** Dimensions as exponents of (second, bit, joule, FLOP): enough to tell the quantities apart. */
type Dims = readonly [number, number, number, number];
/** Prefix tables of the units below, as mathjs defines them (PREFIXES.SHORT and BINARY_SHORT), restricted to common ones. */
const SHORT: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12 };
const BINARY: Readonly<Record<string, number>> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15,
  Ki: 1024, Mi: Math.pow(1024, 2), Gi: Math.pow(1024, 3), Ti: Math.pow(1024, 4), Pi: Math.pow(1024, 5),
};
const NONE: Readonly<Record<string, number>> = { '': 1 };
/**
 * Units the fast path reads, with mathjs's value (in its SI base) and prefixes; a string using
 * anything else goes to mathjs. test/scenario/units.test.ts checks every (prefix, unit) pair here
 * against mathjs, number for number.
 */
export const SIMPLE_UNITS: Readonly<Record<string, { readonly value: number; readonly prefixes: Readonly<Record<string, number>>; readonly dims: Dims }>> = {
  s: { value: 1, prefixes: SHORT, dims: [1, 0, 0, 0] },
  min: { value: 60, prefixes: NONE, dims: [1, 0, 0, 0] },
  h: { value: 3600, prefixes: NONE, dims: [1, 0, 0, 0] },
  b: { value: 1, prefixes: BINARY, dims: [0, 1, 0, 0] },
  B: { value: 8, prefixes: BINARY, dims: [0, 1, 0, 0] },
  J: { value: 1, prefixes: SHORT, dims: [0, 0, 1, 0] },
  Wh: { value: 3600, prefixes: SHORT, dims: [0, 0, 1, 0] },
  W: { value: 1, prefixes: SHORT, dims: [-1, 0, 1, 0] },
  Hz: { value: 1, prefixes: SHORT, dims: [-1, 0, 0, 0] },
  FLOP: { value: 1, prefixes: SHORT, dims: [0, 0, 0, 1] },
  FLOPs: { value: 1, prefixes: SHORT, dims: [0, 0, 0, 1] },
};
/** Each quantity's dimensions and the value of its SI unit in mathjs's base (bytes: 8 bits). */
const TARGET: Readonly<Record<Quantity, { readonly dims: Dims; readonly value: number }>> = {
  time: { dims: [1, 0, 0, 0], value: 1 },
  bandwidth: { dims: [-1, 1, 0, 0], value: 1 },
  bytes: { dims: [0, 1, 0, 0], value: 8 },
  power: { dims: [-1, 0, 1, 0], value: 1 },
  energy: { dims: [0, 0, 1, 0], value: 1 },
  throughput: { dims: [-1, 0, 0, 1], value: 1 },
  flops: { dims: [0, 0, 0, 1], value: 1 },
  rate: { dims: [-1, 0, 0, 0], value: 1 },
  energyPerBit: { dims: [0, -1, 1, 0], value: 1 },
  // No dimension of the fast path's is a length: every unit it reads is the wrong kind here, and "1 km" or "5 km/h" goes to mathjs.
  length: { dims: [NaN, NaN, NaN, NaN], value: 1 },
  speed: { dims: [NaN, NaN, NaN, NaN], value: 1 },
};
const WRONG_KIND = -Infinity;
/** The absent unit of "5/s" (no unit over the slash) or "5 s" (none under it). */
const NO_UNIT = { factor: 1, dims: [0, 0, 0, 0] as Dims };
const SIMPLE = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([A-Za-z]*)(?:\s*\/\s*([A-Za-z]+))?$/;

/** The (value, dims) factor of a unit word such as "Mb" or "ms"; undefined when not in the table. */
function simpleUnit(word: string): { factor: number; dims: Dims } | undefined {
  const exact = SIMPLE_UNITS[word];
  if (exact) return { factor: exact.value * exact.prefixes[''], dims: exact.dims };
  for (const name in SIMPLE_UNITS) {
    if (!word.endsWith(name)) continue;
    const u = SIMPLE_UNITS[name];
    const prefix = u.prefixes[word.slice(0, word.length - name.length)];
    if (prefix !== undefined) return { factor: u.value * prefix, dims: u.dims };
  }
  return undefined;
}

/**
 * Reads "number unit" or "number unit/unit" (or "number/unit") when every unit is in
 * {@link SIMPLE_UNITS}, computing as mathjs does (value × unit^1 × unit^−1, then ÷ the target
 * unit); WRONG_KIND when its dimensions are not the quantity's; undefined when mathjs must read it.
 */
function readSimple(text: string, quantity: Quantity): number | undefined {
  const m = SIMPLE.exec(text);
  if (!m || (m[2] === '' && m[3] === undefined)) return undefined;
  const num = m[2] === '' ? NO_UNIT : simpleUnit(m[2]);
  const den = m[3] === undefined ? NO_UNIT : simpleUnit(m[3]);
  if (!num || !den) return undefined;
  const target = TARGET[quantity];
  if (num.dims.some((d, j) => d - den.dims[j] !== target.dims[j])) return WRONG_KIND;
  let si = Number(m[1]);
  if (num !== NO_UNIT) si = si * Math.pow(num.factor, 1);
  if (den !== NO_UNIT) si = si * Math.pow(den.factor, -1);
  si = si / Math.pow(target.value, 1);
  return Number.isFinite(si) ? si : undefined;
}

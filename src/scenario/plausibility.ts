/**
 * Plausibility of bare numbers. A bare number is in SI units by design, so `bandwidth: 54` is
 * 54 bit/s and `deadline: 100` is 100 s: legal, and almost always a unit left out. Where a
 * quantity is written as a bare number and its value is implausible for what it is, the load
 * warns (the run goes on; `--strict` makes it an error). A value written with its unit is taken
 * as meant and never warned of.
 */
import type { z } from 'zod';
import { schemaAt } from './issues.ts';
import { plausibleQuantities } from './schema.ts';
import { QUANTITIES, type Quantity } from './units.ts';

/** A plausible range of one kind of quantity: its SI quantity, a lower or an upper bound, and why. */
interface PlausibleRange {
  readonly quantity: Quantity;
  /** Values below this are implausible (SI). */
  readonly min?: number;
  /** Values above this are implausible (SI). */
  readonly max?: number;
  /** The bound in words, with the reason: "less than 1 kbit/s, slower than any real link". */
  readonly why: string;
  /** The unit the number was most likely meant in, for the hint: 54 → "54 Mbit/s". */
  readonly meant: string;
}

/**
 * The kinds of quantity checked, each with its bound: the one table of them. A schema field
 * names its kind (schema.ts, `quantity(…, kind)`).
 */
export const PLAUSIBLE = {
  bandwidth: { quantity: 'bandwidth', min: 1e3, why: 'less than 1 kbit/s, slower than any real link', meant: 'Mbit/s' },
  delay: {
    quantity: 'time',
    max: 10,
    why: 'more than 10 s, longer than any propagation delay on Earth or through a geostationary satellite',
    meant: 'ms',
  },
  batchDelay: { quantity: 'time', max: 1, why: "more than a second for a batch to fill, far beyond a dynamic batcher's max_queue_delay (Triton's are microseconds to milliseconds)", meant: 'ms' },
  lookup: { quantity: 'time', max: 1, why: 'more than a second for a cache lookup', meant: 'ms' },
  wait: { quantity: 'time', max: 3600, why: 'more than an hour of waiting for a link', meant: 'ms' },
  deadline: { quantity: 'time', max: 60, why: "more than a minute, long for a request's deadline", meant: 'ms' },
  compute: { quantity: 'throughput', min: 1e6, why: 'less than 1 MFLOP/s, slower than any processor that runs a DNN', meant: 'GFLOP/s' },
  power: { quantity: 'power', max: 1e4, why: 'more than 10 kW, more than one node draws', meant: 'mW' },
  memory: { quantity: 'bytes', min: 1e3, why: 'less than 1 kB of memory', meant: 'GiB' },
  mtbf: { quantity: 'time', min: 60, why: 'less than a minute between failures, far more often than any node fails', meant: 'h' }, // "mtbf: 2" meant as 2 hours (helper-84)
  battery: { quantity: 'energy', min: 100, why: 'less than 100 J (0.03 Wh), less than a coin cell holds', meant: 'Wh' },
  radio: {
    quantity: 'energyPerBit',
    max: 1e-2,
    why: 'more than 10 mJ per bit, implausible for a radio',
    meant: 'nJ/bit',
  },
} as const satisfies Record<string, PlausibleRange>;

/** One of the kinds of {@link PLAUSIBLE}. */
export type Plausible = keyof typeof PLAUSIBLE;

/** An implausible bare number: where it is and what to say. */
export interface Implausible {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

const BARE = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/**
 * The bare numbers of a raw scenario (as parsed, before validation converted it) whose value is
 * implausible for its kind, in document order. Call it on a scenario that validated.
 */
export function implausibleNumbers(raw: unknown): Implausible[] {
  const found: Implausible[] = [];
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    else if (typeof value === 'number' || (typeof value === 'string' && BARE.test(value))) {
      const schema = schemaAt(path);
      const kind = schema && plausibleQuantities.get(schema as unknown as z.ZodType)?.kind;
      if (kind) {
        const message = judge(kind, Number(value), String(value).trim());
        if (message) found.push({ path, message });
      }
    }
  };
  walk(raw, []);
  return found;
}

/** What is implausible about a bare `value` of a kind, or undefined when it is plausible. */
function judge(kind: Plausible, value: number, text: string): string | undefined {
  const range: PlausibleRange = PLAUSIBLE[kind];
  const low = range.min !== undefined && value > 0 && value < range.min;
  const high = range.max !== undefined && value > range.max;
  if (!low && !high) return undefined;
  const unit = QUANTITIES[range.quantity].unit;
  return `${text} is ${text} ${unit} (a bare number is in ${unit}): ${range.why}; if that is meant, write the unit ("${text} ${unit}"), else the one meant, e.g. "${text} ${range.meant}"`;
}

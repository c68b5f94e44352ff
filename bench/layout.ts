/**
 * What a request pays on this host for where its records lie, apart from any simulation: E
 * entities (devices) of K records of one 64-byte line each; a "request" picks an entity at random
 * (a fixed sequence, the same for every arm) and reads one number and adds 1 to another on each
 * of its K lines, as a request reads its device's instance, streams, links, meters and cache. Two
 * layouts:
 *   arrays   K typed arrays, the entity's line in each (edelear's layout: each part of the world —
 *            links, meters, caches, streams — keeps its own array, indexed by its own number)
 *   blocks   one array, the entity's K lines side by side (a record per device holding every part's line)
 * and two ways of reading them:
 *   chained  each line's address depends on the number read on the line before (a handler reading
 *            a record to find the next: an index, a route, a row), so misses come one after another
 *   free     every address known from the entity alone, so the processor can have many misses in flight
 * Arms of one size alternate in paired rounds (bench/measure.ts `pairedRounds`), all in this
 * process (each arm its own function, so its code is its own); the figure is nanoseconds per
 * request, medians, and blocks ÷ arrays per round. Nothing of edelear is timed: this says how
 * much of a request's time at 10^4 devices the scattering of its records can account for
 * (docs/design.md, Speed, stop 35).
 *
 *   npx tsx bench/layout.ts [--lines K] [--requests R] [--rounds N] [--entities 1000,10000,100000]
 */
import { fileURLToPath } from 'node:url';
import { benchFlags, fmt, pairedRounds } from './measure.ts';

/** Numbers (Float64) a 64-byte line holds. */
const LINE = 8;

interface Layout {
  readonly arrays: Float64Array[];
  readonly block: Float64Array;
  readonly sequence: Int32Array;
  readonly lines: number;
}

/** E entities of K lines in both layouts; on each line, number 0 is the offset to the next read (0: the line's own start), number 1 the one written. */
function makeLayout(entities: number, lines: number, requests: number): Layout {
  const arrays = Array.from({ length: lines }, () => new Float64Array(new SharedArrayBuffer(entities * LINE * 8)));
  const block = new Float64Array(new SharedArrayBuffer(entities * lines * LINE * 8));
  // A linear congruential sequence of entities (Numerical Recipes' constants), the same for every arm.
  const sequence = new Int32Array(requests);
  let x = 12345;
  for (let i = 0; i < requests; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    sequence[i] = x % entities;
  }
  return { arrays, block, sequence, lines };
}

function arraysChained(l: Layout): number {
  const { arrays, sequence, lines } = l;
  let s = 0;
  for (let i = 0; i < sequence.length; i++) {
    let o = sequence[i] * LINE;
    for (let j = 0; j < lines; j++) {
      const a = arrays[j];
      o += a[o] | 0; // the next address waits for this read
      a[o + 1] += 1;
      s += a[o + 1];
    }
  }
  return s;
}

function arraysFree(l: Layout): number {
  const { arrays, sequence, lines } = l;
  let s = 0;
  for (let i = 0; i < sequence.length; i++) {
    const o = sequence[i] * LINE;
    for (let j = 0; j < lines; j++) {
      const a = arrays[j];
      a[o + 1] += 1;
      s += a[o];
    }
  }
  return s;
}

function blocksChained(l: Layout): number {
  const { block, sequence, lines } = l;
  let s = 0;
  for (let i = 0; i < sequence.length; i++) {
    let o = sequence[i] * lines * LINE;
    for (let j = 0; j < lines; j++, o += LINE) {
      o += block[o] | 0;
      block[o + 1] += 1;
      s += block[o + 1];
    }
  }
  return s;
}

function blocksFree(l: Layout): number {
  const { block, sequence, lines } = l;
  let s = 0;
  for (let i = 0; i < sequence.length; i++) {
    const base = sequence[i] * lines * LINE;
    for (let j = 0; j < lines; j++) {
      const o = base + j * LINE;
      block[o + 1] += 1;
      s += block[o];
    }
  }
  return s;
}

/** Nanoseconds per request of one pass of `f` over the sequence. */
function timeOf(f: (l: Layout) => number, l: Layout): number {
  const t0 = process.hrtime.bigint();
  sink += f(l);
  return Number(process.hrtime.bigint() - t0) / l.sequence.length;
}
/** Keeps the passes' sums alive (so that the reads are not optimized away); means nothing. */
let sink = 0;

export function main(entities: readonly number[] = [1e3, 1e4, 1e5], lines = 24, requests = 2e6, rounds = 7): void {
  console.log(`Record layout (${lines} lines a request, ${fmt(requests)} requests a pass, ${rounds} alternating rounds; ns per request, medians)`);
  console.log('  entities   chained: arrays   blocks  blocks÷arrays     free: arrays   blocks  blocks÷arrays   memory');
  for (const e of entities) {
    const l = makeLayout(e, lines, requests);
    const row: string[] = [];
    for (const [arrays, blocks] of [
      [arraysChained, blocksChained],
      [arraysFree, blocksFree],
    ] as const) {
      arrays(l); // compile both, untimed
      blocks(l);
      const paired = pairedRounds(
        [
          { name: 'arrays', f: arrays },
          { name: 'blocks', f: blocks },
        ],
        (arm) => timeOf(arm.f, l),
        { rounds, rate: (ns) => 1 / ns },
      );
      row.push(`${fmt(paired.median('arrays', (ns) => ns), 1).padStart(16)} ${fmt(paired.median('blocks', (ns) => ns), 1).padStart(8)} ${fmt(1 / paired.ratio('blocks'), 2).padStart(14)}`);
    }
    console.log(`  ${fmt(e).padStart(8)} ${row.join('  ')} ${fmt((e * lines * 64) / 2 ** 20, 1).padStart(8)} MiB`);
  }
  if (sink === -1) console.log(sink);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/layout.ts [--lines K] [--requests R] [--rounds N] [--entities 1000,10000,100000]';
  const { given, fail } = benchFlags('bench/layout.ts', usage, ['--lines', '--requests', '--rounds', '--entities']);
  const count = (flag: string, fallback: number, least: number): number => {
    const v = given.has(flag) ? Number(given.get(flag)) : fallback;
    if (!(Number.isInteger(v) && v >= least)) fail(`${flag} expects a whole number ≥ ${least}, got "${given.get(flag)}"`);
    return v;
  };
  const entities = (given.get('--entities') ?? '1000,10000,100000').split(',').map(Number);
  if (!entities.every((e) => Number.isInteger(e) && e >= 1)) fail(`--entities expects whole numbers ≥ 1, comma-separated, got "${given.get('--entities')}"`);
  main(entities, count('--lines', 24, 1), count('--requests', 2e6, 1000), count('--rounds', 7, 1));
}

/**
 * Instructions (and, when callgrind simulates the caches, misses) by function, from a callgrind
 * profile of node (bench/instructions.ts `--functions`, `--misses`). Callgrind counts every
 * instruction executed, and every simulated cache miss, by address; the code V8 compiled at run time has no
 * symbols, so node runs with `--perf-basic-prof`, which writes each piece of generated code's start,
 * length and name to /tmp/perf-PID.map, and an address in generated code is charged to the map's
 * entry that holds it (`JS:*transmit …/lifecycle.js:2:25355`: `*` optimized, `^` baseline, `~`
 * interpreted). Everything else keeps callgrind's own function name (V8's C++ — the garbage
 * collector, the compiler — and the C library).
 */
import { readFileSync } from 'node:fs';

/** One piece of generated code: [start, start + size) is `name`. */
interface CodeRange {
  readonly start: number;
  readonly size: number;
  readonly name: string;
}

/** The pieces of code in a perf map file ("start size name" per line, hexadecimal), by start. */
export function readPerfMap(file: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) ranges.push({ start: parseInt(m[1], 16), size: parseInt(m[2], 16), name: m[3] });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** The last range starting at or before `address` when it holds it, else undefined. */
function rangeOf(ranges: readonly CodeRange[], address: number): CodeRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  const r = ranges[hi];
  return r !== undefined && address < r.start + r.size ? r : undefined;
}

/** A shorter name for generated code: its tier and function, and its file's last part with line and column. */
export function shortName(name: string): string {
  return name.replace(/ file:\/\/\S*\//, ' ');
}

/** Each function's counts of every event of a callgrind output, in the order of its `events:` line. */
export interface FunctionCosts {
  /** The events counted (`Ir`; with `--cache-sim=yes` also `Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw`). */
  readonly events: readonly string[];
  readonly totals: Map<string, number[]>;
}

/**
 * Every event's count per function in a callgrind output written with `--dump-instr=yes
 * --compress-pos=no --compress-strings=no` (each cost line: its positions — address, and line
 * unless `--dump-line=no` — then the events' counts, trailing zeros left out). A cost line after
 * `calls=` is the call's inclusive cost and is skipped: each instruction (and each miss) is counted
 * once, in the function that executed it.
 */
export function costsByFunction(callgrindFile: string, perfMapFile: string): FunctionCosts {
  const ranges = readPerfMap(perfMapFile);
  const totals = new Map<string, number[]>();
  let events: string[] = [];
  let positions = 1;
  let fn = '';
  let inclusive = false;
  for (const line of readFileSync(callgrindFile, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) fn = line.slice(3);
    else if (line.startsWith('calls=')) inclusive = true;
    else if (line.startsWith('0x')) {
      if (inclusive) {
        inclusive = false;
        continue;
      }
      const fields = line.split(' ');
      if (fields.length <= positions) continue;
      // Callgrind names code without symbols by its first address; such code is V8's, found in the map.
      let name = fn;
      if (fn === '???' || fn.startsWith('0x')) {
        const r = rangeOf(ranges, parseInt(fields[0], 16));
        name = r === undefined ? '(code outside the perf map)' : shortName(r.name);
      } else name = fn.replace(/\(.*$/, '');
      let counts = totals.get(name);
      if (counts === undefined) totals.set(name, (counts = new Array<number>(events.length).fill(0)));
      for (let k = positions; k < fields.length && k - positions < events.length; k++) counts[k - positions] += Number(fields[k]);
    } else {
      inclusive = false;
      if (line.startsWith('events: ')) events = line.slice(8).trim().split(/\s+/);
      else if (line.startsWith('positions: ')) positions = line.slice(11).trim().split(/\s+/).length;
    }
  }
  return { events, totals };
}

/** Per function, the sum of the named events' counts (LL misses: `ILmr`, `DLmr` and `DLmw`); an event the output does not count is an error. */
export function sumOf(costs: FunctionCosts, events: readonly string[]): Map<string, number> {
  const columns = events.map((e) => {
    const k = costs.events.indexOf(e);
    if (k < 0) throw new Error(`the callgrind output counts no ${e} (its events: ${costs.events.join(' ')})`);
    return k;
  });
  return new Map([...costs.totals].map(([name, counts]) => [name, columns.reduce((s, k) => s + counts[k], 0)]));
}

/** Per-function counts of the longer run less the shorter's, divided by `requests`, largest first. */
export function perRequestByFunction(longer: Map<string, number>, shorter: Map<string, number>, requests: number): { name: string; count: number }[] {
  const names = new Set([...longer.keys(), ...shorter.keys()]);
  return [...names]
    .map((name) => ({ name, count: ((longer.get(name) ?? 0) - (shorter.get(name) ?? 0)) / requests }))
    .sort((a, b) => b.count - a.count);
}

/**
 * Instructions (and, when callgrind simulates the caches, misses) by function, from a callgrind
 * profile of node (bench/instructions.ts `--functions`, `--misses`). Callgrind counts every
 * instruction executed, and every simulated cache miss, by address; the code V8 compiled at run time has no
 * symbols, so node runs with `--perf-basic-prof`, which writes each piece of generated code's start,
 * length and name to /tmp/perf-PID.map, and an address in generated code is charged to the map's
 * entry that holds it (`JS:*transmit …/lifecycle.js:2:25355`: `*` optimized, `^` baseline, `~`
 * interpreted) — to every entry that held it, together, where V8 reused the addresses of code it
 * had freed ({@link codePieces}). Everything else keeps callgrind's own function name (V8's C++ — the garbage
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

/** The end of the name of a piece of addresses several pieces of code held ({@link codePieces}). */
export const REUSED = ' (addresses reused)';

/** What the pieces of reused addresses hold of a per-function list: their sum and their number (a figure there belongs to one of several functions). */
export function reusedOf(rows: readonly { name: string; count: number }[]): { count: number; pieces: number } {
  const reused = rows.filter((r) => r.name.endsWith(REUSED));
  return { count: reused.reduce((s, r) => s + r.count, 0), pieces: reused.length };
}

/** A stretch [start, end) of addresses and what is charged there. */
interface CodePiece {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/**
 * The map's ranges cut where any of them starts or ends, by address: each piece named by every
 * range that holds it. V8 frees code it no longer uses (a function deoptimized and compiled again)
 * and puts later code at the same addresses, and callgrind adds up the cost of an address over the
 * whole run, so a piece several names held is charged to all of them together — `JS:*add … | JS:^
 * … (addresses reused)` — rather than to the last one compiled there, which would hand one
 * function's instructions to another.
 */
export function codePieces(ranges: readonly CodeRange[]): CodePiece[] {
  const cuts = [...new Set(ranges.flatMap((r) => [r.start, r.start + r.size]))].sort((a, b) => a - b);
  const byStart = [...ranges].sort((a, b) => a.start - b.start);
  const pieces: CodePiece[] = [];
  let open: CodeRange[] = [];
  let next = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const at = cuts[c];
    open = open.filter((r) => r.start + r.size > at);
    while (next < byStart.length && byStart[next].start <= at) {
      const r = byStart[next++];
      if (r.start + r.size > at) open.push(r);
    }
    if (open.length === 0) continue;
    const names = [...new Set(open.map((r) => shortName(r.name)))].sort();
    pieces.push({ start: at, end: cuts[c + 1], name: names.length === 1 ? names[0] : `${names.join(' | ')}${REUSED}` });
  }
  return pieces;
}

/** The piece holding `address`, else undefined. */
function pieceOf(pieces: readonly CodePiece[], address: number): CodePiece | undefined {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pieces[mid].start <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  const p = pieces[hi];
  return p !== undefined && address < p.end ? p : undefined;
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
  const pieces = codePieces(readPerfMap(perfMapFile));
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
        const p = pieceOf(pieces, parseInt(fields[0], 16));
        name = p === undefined ? '(code outside the perf map)' : p.name;
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

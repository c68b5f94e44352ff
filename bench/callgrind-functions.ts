/**
 * Instructions by function, from a callgrind profile of node (bench/instructions.ts `--functions`).
 * Callgrind counts every instruction executed, by address; the code V8 compiled at run time has no
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

/**
 * Instructions executed per function in a callgrind output written with `--dump-instr=yes
 * --compress-pos=no --compress-strings=no` (each cost line: address, line, instructions). A cost
 * line after `calls=` is the call's inclusive cost and is skipped: each instruction is counted once,
 * in the function that executed it.
 */
export function instructionsByFunction(callgrindFile: string, perfMapFile: string): Map<string, number> {
  const ranges = readPerfMap(perfMapFile);
  const totals = new Map<string, number>();
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
      const [address, , count] = line.split(' ');
      if (count === undefined) continue;
      // Callgrind names code without symbols by its first address; such code is V8's, found in the map.
      let name = fn;
      if (fn === '???' || fn.startsWith('0x')) {
        const r = rangeOf(ranges, parseInt(address, 16));
        name = r === undefined ? '(code outside the perf map)' : shortName(r.name);
      } else name = fn.replace(/\(.*$/, '');
      totals.set(name, (totals.get(name) ?? 0) + Number(count));
    } else inclusive = false;
  }
  return totals;
}

/** Per-function instructions of the longer run less the shorter's, divided by `requests`, largest first. */
export function perRequestByFunction(longer: Map<string, number>, shorter: Map<string, number>, requests: number): { name: string; instructions: number }[] {
  const names = new Set([...longer.keys(), ...shorter.keys()]);
  return [...names]
    .map((name) => ({ name, instructions: ((longer.get(name) ?? 0) - (shorter.get(name) ?? 0)) / requests }))
    .sort((a, b) => b.instructions - a.instructions);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codePieces, costsByFunction, perRequestByFunction, reusedOf, shortName, sumOf } from '../../bench/callgrind-functions.ts';

const dir = mkdtempSync(join(tmpdir(), 'edelear-callgrind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file in the test's folder and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Two pieces of generated code in the perf map, and a callgrind output (--dump-instr=yes
// --compress-pos=no --compress-strings=no) in which a C++ function and generated code execute
// instructions, and generated code calls both (the line after `calls=` is the call's inclusive cost).
const MAP = ['1000 100 JS:*popUntil file:///work/main/dist/bundle/chunk-A.js:2:2739', '1100 40 JS:*transmit file:///work/main/dist/bundle/chunk-A.js:2:25355', ''].join('\n');
const CALLGRIND = [
  'version: 1',
  'positions: instr line',
  'events: Ir',
  'ob=/usr/lib/libm.so.6',
  'fl=???',
  'fn=log(double)',
  '0x500 0 7',
  '0x504 0 3',
  'ob=???',
  'fl=???',
  'fn=0x0000000000001000',
  '0x1000 0 5',
  '0x10ff 0 2',
  'cfn=log(double)',
  'calls=1 0x500 0',
  '0x1010 0 10',
  'fn=0x0000000000001100',
  '0x1100 0 4',
  'cfn=0x0000000000001000',
  'calls=2 0x1000 0',
  '0x1120 0 14',
  '0x1200 0 6',
  '',
].join('\n');

describe('instructions by function (bench/instructions.ts --functions)', () => {
  it('charges generated code to its perf map entry and C++ to its own name, each instruction once', () => {
    const totals = sumOf(costsByFunction(file('cg.out', CALLGRIND), file('perf.map', MAP)), ['Ir']);
    // popUntil: 5 + 2 (the call's inclusive 10 skipped); transmit: 4 (inclusive 14 skipped); 0x1200 lies outside every entry.
    expect(Object.fromEntries(totals)).toEqual({
      log: 10,
      'JS:*popUntil chunk-A.js:2:2739': 7,
      'JS:*transmit chunk-A.js:2:25355': 4,
      '(code outside the perf map)': 6,
    });
  });

  it('charges addresses that V8 reused for later code to every name that held them, together', () => {
    // add's first code [0x2000, 0x2100), freed; later code at [0x2080, 0x2180); add compiled again at [0x2000, 0x2040).
    const map = ['2000 100 JS:*add file:///d/chunk-B.js:2:21615', '2080 100 JS:^ file:///d/chunk-C.js:2:4582', '2000 40 JS:*add file:///d/chunk-B.js:2:21615', ''].join('\n');
    const text = ['version: 1', 'positions: instr line', 'events: Ir', 'fn=0x0000000000002000', '0x2010 0 3', '0x2050 0 5', '0x2090 0 7', '0x2150 0 11', '0x2180 0 13', ''].join('\n');
    const totals = sumOf(costsByFunction(file('cg-reused.out', text), file('perf-reused.map', map)), ['Ir']);
    // 0x2010 (both add entries) and 0x2050 (add alone): add; 0x2090: add's first code and the later code; 0x2150: the later code; 0x2180: past every entry.
    expect(Object.fromEntries(totals)).toEqual({
      'JS:*add chunk-B.js:2:21615': 8,
      'JS:*add chunk-B.js:2:21615 | JS:^ chunk-C.js:2:4582 (addresses reused)': 7,
      'JS:^ chunk-C.js:2:4582': 11,
      '(code outside the perf map)': 13,
    });
    // What a per-request list holds at reused addresses: the one joint piece, 7 of 39.
    const rows = perRequestByFunction(totals, new Map(), 1);
    expect(reusedOf(rows)).toEqual({ count: 7, pieces: 1 });
    expect(codePieces([{ start: 0x10, size: 0x10, name: 'a' }, { start: 0x30, size: 0x8, name: 'b' }]).map((p) => [p.start, p.end, p.name])).toEqual([
      [0x10, 0x20, 'a'],
      [0x30, 0x38, 'b'],
    ]);
  });

  it('with cache simulation, sums the chosen events per function, counting left-out trailing counts as 0', () => {
    // --cache-sim=yes: nine events per cost line, trailing zeros left out.
    const text = [
      'version: 1',
      'positions: instr line',
      'events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw',
      'fn=log(double)',
      '0x500 0 7 2 0 0 1 0 0 1',
      '0x504 0 3',
      'fn=0x0000000000001000',
      '0x1000 0 5 1 1 0 1 1 0 1 1',
      'cfn=log(double)',
      'calls=1 0x500 0',
      '0x1010 0 10 2 0 0 1 0 0 1',
      '0x1020 0 4 0 1 1 0 1 0 0 1',
      '',
    ].join('\n');
    const costs = costsByFunction(file('cg-cache.out', text), file('perf-cache.map', MAP));
    expect(costs.events).toEqual(['Ir', 'Dr', 'Dw', 'I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw']);
    const misses = sumOf(costs, ['ILmr', 'DLmr', 'DLmw']);
    // log: one DLmr; popUntil: 0 + 1 + 1 (its first line) + 1 (its third), the call's inclusive line skipped.
    expect(Object.fromEntries(misses)).toEqual({ log: 1, 'JS:*popUntil chunk-A.js:2:2739': 3 });
    expect(Object.fromEntries(sumOf(costs, ['Ir']))).toEqual({ log: 10, 'JS:*popUntil chunk-A.js:2:2739': 9 });
    expect(() => sumOf(costs, ['Bc'])).toThrow(/counts no Bc \(its events: Ir Dr Dw/);
  });

  it('divides the longer run less the shorter by the requests between, largest first', () => {
    const longer = new Map([['a', 1_000], ['b', 700], ['c', 50]]);
    const shorter = new Map([['a', 400], ['b', 100], ['d', 8]]);
    expect(perRequestByFunction(longer, shorter, 100)).toEqual([
      { name: 'a', count: 6 },
      { name: 'b', count: 6 },
      { name: 'c', count: 0.5 },
      { name: 'd', count: -0.08 },
    ]);
  });

  it('names generated code by its tier, function and file', () => {
    expect(shortName('JS:^forward file:///work/main/src/world/lifecycle.ts:1:1724')).toBe('JS:^forward lifecycle.ts:1:1724');
  });
});

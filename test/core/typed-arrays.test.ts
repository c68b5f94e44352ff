import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_FROM, float64Array, float64ArrayOf, int32Array, int32ArrayOf, uint8Array, uint8ArrayOf } from '../../src/core/typed-arrays.ts';

describe('typed arrays sized by the world', () => {
  it('puts large arrays over a SharedArrayBuffer and small ones over an ArrayBuffer, zeroed, of the length asked', () => {
    const large = SHARED_FROM / 8; // the first Float64Array length at the threshold
    for (const [a, n, shared] of [
      [float64Array(large), large, true],
      [float64Array(large - 1), large - 1, false],
      [int32Array(SHARED_FROM / 4), SHARED_FROM / 4, true],
      [int32Array(10), 10, false],
      [uint8Array(SHARED_FROM), SHARED_FROM, true],
      [uint8Array(SHARED_FROM - 1), SHARED_FROM - 1, false],
    ] as const) {
      expect(a.length).toBe(n);
      expect(a.buffer instanceof SharedArrayBuffer).toBe(shared);
      expect(a.every((x) => x === 0)).toBe(true);
    }
  });

  it('copies values in order, large or small', () => {
    const values = Array.from({ length: SHARED_FROM / 4 + 3 }, (_, k) => (k * 7919) % 1000003 - 500000);
    const big = int32ArrayOf(values);
    expect(big.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(Array.from(big)).toEqual(values);
    expect(Array.from(int32ArrayOf([3, -1, 2]))).toEqual([3, -1, 2]);
    const items = values.map((v) => ({ v }));
    const halves = float64ArrayOf(items, (x) => x.v / 2);
    expect(halves.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(halves[5]).toBe(values[5] / 2);
    expect(halves[values.length - 1]).toBe(values[values.length - 1] / 2);
    expect(Array.from(uint8ArrayOf(['a', 'bb', ''], (s) => s.length))).toEqual([1, 2, 0]);
  });

  it('spares the full collections V8 starts for external memory: 512 MiB of arrays beside a large heap', () => {
    // Node's own trace of why each marking started; the same allocations with `new Float64Array` start
    // one or more (two here, the next coming before the last one ends).
    const module = fileURLToPath(new URL('../../src/core/typed-arrays.ts', import.meta.url));
    const starts = (make: string) => {
      const script = `const { float64Array } = await import(${JSON.stringify(module)});
        const heap = []; for (let i = 0; i < 1e6; i++) heap.push({ i, s: String(i) });
        const kept = []; for (let i = 0; i < 64; i++) kept.push(${make});
        console.log(heap.length + kept.length);`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-incremental-marking', '--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter((l) => l.includes('Start (external memory pressure)')).length;
    };
    expect(starts('new Float64Array(1 << 20)')).toBeGreaterThanOrEqual(1);
    expect(starts('float64Array(1 << 20)')).toBe(0);
  });
});

/**
 * Hold-model benchmark of the event kernel (Vaucher and Duval, CACM 1975): keep N events
 * pending; each step pops the earliest and pushes one at now + Exp(1). The kernel (the
 * Simulator with its (time, seq)-ordered queue and handler dispatch) is compared with a
 * bare typed-array binary heap of times doing the same pushes and pops in the same process.
 * Prints events per second and the ratio (target ≥ 0.5).
 */
import { fileURLToPath } from 'node:url';
import { Simulator } from '../src/core/simulator.ts';

const INCREMENTS = (() => {
  // A fixed table of Exp(1) increments, shared by both contenders so only the queues differ.
  const a = new Float64Array(1 << 16);
  let x = 123456789;
  for (let i = 0; i < a.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    a[i] = -Math.log(1 - x / 2147483648);
  }
  return a;
})();
const MASK = INCREMENTS.length - 1;

/** Bare min-heap of times on a Float64Array: the floor a kernel can be compared with. */
class BareHeap {
  private h: Float64Array;
  n = 0;
  constructor(capacity: number) {
    this.h = new Float64Array(capacity);
  }
  push(t: number): void {
    const h = this.h;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p] <= t) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = t;
  }
  pop(): number {
    const h = this.h;
    const top = h[0];
    const last = h[--this.n];
    let i = 0;
    const n = this.n;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1] < h[c]) c++;
      if (h[c] >= last) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }
}

function bare(pending: number, steps: number): number {
  const heap = new BareHeap(pending + 1);
  for (let i = 0; i < pending; i++) heap.push(INCREMENTS[i & MASK] * pending);
  const t0 = performance.now();
  let k = 0;
  for (let i = 0; i < steps; i++) {
    const now = heap.pop();
    heap.push(now + INCREMENTS[k++ & MASK] * pending);
  }
  return steps / ((performance.now() - t0) / 1000);
}

function kernel(pending: number, steps: number): number {
  const sim = new Simulator(pending + 1);
  let k = 0;
  let left = steps;
  sim.on(0, (subject, now) => {
    sim.scheduleAt(now + INCREMENTS[k++ & MASK] * pending, 0, subject);
    if (--left === 0) sim.stop();
  });
  for (let i = 0; i < pending; i++) sim.scheduleAt(INCREMENTS[i & MASK] * pending, 0, i);
  const t0 = performance.now();
  sim.run({ until: Infinity });
  return sim.eventsProcessed / ((performance.now() - t0) / 1000);
}

/** Runs the benchmark and prints a table; returns the rows. */
export function main(): { pending: number; kernel: number; bare: number; ratio: number }[] {
  const rows = [];
  console.log('hold model: events/s of the edelear kernel vs a bare typed-array heap (same process)');
  console.log('  pending      kernel ev/s      bare heap ev/s   ratio (target ≥ 0.5)');
  for (const pending of [100, 10_000, 1_000_000]) {
    const steps = 3_000_000;
    // Warm up both, then take the best of three.
    kernel(pending, 200_000);
    bare(pending, 200_000);
    let k = 0;
    let b = 0;
    for (let r = 0; r < 3; r++) {
      k = Math.max(k, kernel(pending, steps));
      b = Math.max(b, bare(pending, steps));
    }
    const ratio = k / b;
    rows.push({ pending, kernel: k, bare: b, ratio });
    console.log(`  ${String(pending).padStart(9)}  ${Math.round(k).toLocaleString('en-US').padStart(15)}  ${Math.round(b).toLocaleString('en-US').padStart(17)}   ${ratio.toFixed(2)}`);
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

/**
 * Hold-model benchmark of the event kernel (Vaucher and Duval, CACM 1975): keep N events
 * pending; each step pops the earliest and pushes one at now + Exp(1)·N. The kernel (the
 * Simulator with its (time, seq)-ordered two-tier queue and handler dispatch) is compared with
 * a bare typed-array binary heap of times doing the same pushes and pops in the same process.
 * Prints events per second and the ratio kernel / bare heap, whose target is ≥ 1.0 at 10^4
 * and 10^6 pending events (the row at 100 has no target), plus a row where every event is
 * cancellable and 1 in 10 is cancelled and re-scheduled (no target; shows what handles cost).
 * Runs are paired (kernel and bare heap back to back in each round, alternating which goes
 * first) and the ratio is the median of the per-round ratios, because this machine's load
 * drifts between rounds; no best-of on either side. The target is judged over the rounds' ratios
 * (bench/measure.ts `targetVerdict`: the 95 % interval of their mean — holds, does not hold or
 * inconclusive).
 *
 *   npx tsx bench/kernel.ts [--rounds R]   (default 9)
 */
import { fileURLToPath } from 'node:url';
import { Simulator } from '../src/core/simulator.ts';
import { benchFlags, median, targetText } from './measure.ts';

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

/**
 * The same hold model with every event scheduled by scheduleCancellable; on every 10th event
 * another pending subject's event is cancelled and re-scheduled (a timer being reset), so the
 * heap also carries cancelled entries. Counts handled events only.
 */
function kernelCancellable(pending: number, steps: number): number {
  const sim = new Simulator(pending + 1);
  const handles = new Float64Array(pending);
  let k = 0;
  let left = steps;
  let victim = 0;
  sim.on(0, (subject, now) => {
    handles[subject] = sim.scheduleCancellable(now + INCREMENTS[k++ & MASK] * pending, 0, subject);
    if (k % 10 === 0) {
      victim = (victim + 7919) % pending;
      if (sim.cancel(handles[victim])) {
        handles[victim] = sim.scheduleCancellable(now + INCREMENTS[k++ & MASK] * pending, 0, victim);
      }
    }
    if (--left === 0) sim.stop();
  });
  for (let i = 0; i < pending; i++) handles[i] = sim.scheduleCancellable(INCREMENTS[i & MASK] * pending, 0, i);
  const t0 = performance.now();
  sim.run({ until: Infinity });
  return sim.eventsProcessed / ((performance.now() - t0) / 1000);
}

/** One row of the table: median events/s of each contender and median of the paired ratios. */
export interface KernelRow {
  pending: number;
  kernel: number;
  bare: number;
  ratio: number;
  cancellable: number;
  cancellableRatio: number;
}

/** Runs the benchmark and prints a table; returns the rows. */
export function main(rounds = 9): KernelRow[] {
  const rows: KernelRow[] = [];
  const fmt = (x: number, w: number) => Math.round(x).toLocaleString('en-US').padStart(w);
  console.log('hold model: events/s of the edelear kernel vs a bare typed-array heap (same process)');
  console.log(`paired runs: each round runs kernel, cancellable kernel and bare heap back to back; medians of ${rounds} rounds`);
  console.log('  pending      kernel ev/s      bare heap ev/s   ratio (target ≥ 1.0)   cancellable ev/s   ratio');
  for (const pending of [100, 10_000, 1_000_000]) {
    // Short runs, many rounds: a pair then sees the same machine load.
    const steps = 1_000_000;
    // Warm up all three, then pair: a ratio compares runs made under the same machine load.
    kernel(pending, 200_000);
    kernelCancellable(pending, 200_000);
    bare(pending, 200_000);
    const k: number[] = [];
    const c: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    const cRatios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate who goes first so neither side always runs on a warmer (or colder) cache.
      let ki: number, bi: number;
      if (r % 2 === 0) {
        ki = kernel(pending, steps);
        bi = bare(pending, steps);
      } else {
        bi = bare(pending, steps);
        ki = kernel(pending, steps);
      }
      const ci = kernelCancellable(pending, steps);
      k.push(ki);
      b.push(bi);
      c.push(ci);
      ratios.push(ki / bi);
      cRatios.push(ci / bi);
    }
    const row = {
      pending,
      kernel: median(k),
      bare: median(b),
      ratio: median(ratios),
      cancellable: median(c),
      cancellableRatio: median(cRatios),
    };
    rows.push(row);
    console.log(
      `  ${String(pending).padStart(9)}  ${fmt(row.kernel, 15)}  ${fmt(row.bare, 17)}   ${row.ratio.toFixed(2).padEnd(20)}  ${fmt(row.cancellable, 17)}   ${row.cancellableRatio.toFixed(2)}` +
        `   (kernel/bare per round: ${ratios.map((x) => x.toFixed(2)).join(' ')})`,
    );
    // The target (10^4 and 10^6 pending), judged over the rounds' paired ratios.
    if (pending >= 10_000) console.log(`             kernel ÷ bare heap, mean of the rounds: ${targetText(ratios, 1, 'at least', 2)}`);
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/kernel.ts [--rounds R]   (R ≥ 1, default 9; two or more give the target a 95 % interval and a verdict)';
  main(benchFlags('bench/kernel.ts', usage, ['--rounds']).whole('--rounds'));
}

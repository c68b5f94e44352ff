/**
 * What this host charges a process for memory it touches for the first time. A virtual machine may
 * back its guest's memory only when the guest touches it: on one such host (a Firecracker guest,
 * 2026-11-28, docs/design.md, Speed, stop 37) a page fault on new memory cost ≈ 1.5–2 µs or
 * ≈ 12.5 µs a 4 KiB page by the host's state, from one process to the next and within one (often
 * the first ≈ 0.8 GiB cheap, the rest dear). A 10^6-device run (≈ 2.6 GiB) can then pay
 * seconds that a 10^5 one (≈ 0.4 GiB) does not, and bench/scale.ts's ratios from 10^5 to 10^6
 * measure the host as much as edelear (that bench prints each run's system CPU seconds and page
 * faults, where the difference shows). {@link probeFirstTouch} measures the cost per 256 MiB in a
 * process of its own; it asserts nothing.
 *
 *   npx tsx bench/host-memory.ts [--gib G]     touch G GiB in a new process (default 2)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchFlags, fmt } from './measure.ts';

/** Bytes of each piece a child touches. */
const PIECE = 256 * 1024 * 1024;

/**
 * A child touching `pieces` pieces of 256 MiB, one byte a 4 KiB page, keeping them all; it prints
 * the µs a page of each piece as a JSON array.
 */
function touchScript(pieces: number): string {
  return `const keep = [], us = [];
for (let k = 0; k < ${pieces}; k++) {
  const t0 = performance.now();
  const a = new Uint8Array(new SharedArrayBuffer(${PIECE}));
  for (let i = 0; i < a.length; i += 4096) a[i] = 1;
  keep.push(a);
  us.push((performance.now() - t0) * 1000 / ${PIECE / 4096});
}
console.log(JSON.stringify(us));`;
}

function touch(gib: number): number[] {
  const pieces = Math.max(1, Math.round((gib * 1024 ** 3) / PIECE));
  const r = spawnSync(process.execPath, ['-e', touchScript(pieces)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`touching ${gib} GiB failed (${r.status}): ${r.stderr.slice(-400)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

/** µs a 4 KiB page of a process's first 256 MiB of new memory, and of its last 256 MiB of `gib` GiB. */
function probeFirstTouch(gib = 2): { first: number; last: number; pieces: number[] } {
  const pieces = touch(gib);
  return { first: pieces[0], last: pieces[pieces.length - 1], pieces };
}

/** One line on a probe of `gib` GiB: the cost of a page early and late, and whether the host backs memory on first touch. */
function firstTouchLine(p: { first: number; last: number }, gib: number): string {
  const slow = p.last > 2 * p.first;
  return `new memory cost ${fmt(p.first, 1)} µs a 4 KiB page in the process's first 256 MiB and ${fmt(p.last, 1)} µs in its last (of ${fmt(gib, 2)} GiB)${
    slow ? ': this host backs memory when it is first touched, which a large run pays and a small one may not' : ''
  }`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: npx tsx bench/host-memory.ts [--gib G]   (G > 0.25, default 2)';
  const { given, fail } = benchFlags('bench/host-memory.ts', usage, ['--gib']);
  const g = given.get('--gib');
  const gib = g === undefined ? 2 : Number(g) > 0.25 ? Number(g) : fail(`--gib expects a number above 0.25, got "${g}"`);
  const p = probeFirstTouch(gib);
  console.log(`First touch of new memory, µs a 4 KiB page, by 256 MiB piece: ${p.pieces.map((u) => fmt(u, 2)).join(', ')}`);
  console.log(firstTouchLine(p, gib));
}

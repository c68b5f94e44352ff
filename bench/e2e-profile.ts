/**
 * Profiles one end-to-end run (bench/e2e-child.ts under `node --cpu-prof`) and prints the functions
 * with the most self time inside `simulate()` (loading and building are left out).
 *
 *   npx tsx bench/e2e-profile.ts [--devices N] [--minutes M] [--top K] [--keep DIR] [--node-flag F …]
 *
 * `--node-flag --no-turbo-inlining` (repeatable: any V8/Node flag) keeps inlined callees out of their
 * callers' self time, at some cost in speed, to see where time really goes.
 *   npx tsx bench/e2e-profile.ts --file some.cpuprofile      # summarize an existing profile
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFlags } from './measure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./e2e-child.ts', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One row of the summary: a function and its self time inside simulate(). */
export interface SelfTimeRow {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

/** Self time per function among samples whose stack contains `simulate` (metrics/simulate.ts). */
export function selfTimeInSimulate(profile: CpuProfile): { rows: SelfTimeRow[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inSim = new Map<number, boolean>();
  const under = (id: number): boolean => {
    const known = inSim.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    const me = n.callFrame.functionName === 'simulate' && n.callFrame.url.includes('metrics/simulate');
    const p = parent.get(id);
    const v = me || (p !== undefined && under(p));
    inSim.set(id, v);
    return v;
  };
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, k) => {
    if (!under(id)) return;
    const dt = profile.timeDeltas[k + 1] ?? 0; // a sample's duration is the delta to the next one
    const f = byId.get(id)!.callFrame;
    // tsx hands V8 its transpiled code on one line, so a line number would say nothing: the file only.
    const where = f.url.startsWith('file:') ? relative(ROOT, fileURLToPath(f.url)) : f.url || '(native)';
    const key = `${f.functionName}@${where}`;
    const e = self.get(key) ?? { fn: f.functionName || '(anonymous)', where, us: 0 };
    e.us += dt;
    self.set(key, e);
    total += dt;
  });
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, share: e.us / total }));
  return { rows, totalMs: total / 1000 };
}

const USAGE = 'usage: npx tsx bench/e2e-profile.ts [--devices N] [--minutes M] [--top K] [--keep DIR] [--node-flag F …]   or   --file some.cpuprofile   (N ≥ 1 devices of the EdgeCloudSim mirror, default 10000; M > 3, default 30; K ≥ 1, default 15)';

function main(): void {
  const a = benchFlags('bench/e2e-profile.ts', USAGE, ['--devices', '--minutes', '--top', '--keep', '--file', '--node-flag'], [], ['--node-flag']);
  const devices = a.whole('--devices') ?? 10000;
  const minutes = a.above('--minutes', 3, 'the EdgeCloudSim mirror warms up for 3 minutes');
  const top = a.whole('--top') ?? 15;
  const keep = a.given.get('--keep');
  let file = a.given.get('--file');
  const nodeFlags = a.all('--node-flag');
  if (!file) {
    const dir = keep ?? mkdtempSync(join(tmpdir(), 'edelear-e2e-prof-'));
    const args = [...nodeFlags, '--cpu-prof', '--cpu-prof-dir', dir, '--import', 'tsx', CHILD, '--devices', String(devices)];
    if (minutes !== undefined) args.push('--minutes', String(minutes));
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`profiling run failed:\n${r.stderr}`);
    process.stdout.write(`run: ${r.stdout.trim()}\n`);
    // One profile per V8 isolate (tsx's loader thread has its own): keep the one that ran simulate().
    const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
    const timed = profiles.map((f) => ({ f, ms: selfTimeInSimulate(JSON.parse(readFileSync(f, 'utf8')) as CpuProfile).totalMs }));
    const best = timed.sort((a, b) => b.ms - a.ms)[0];
    if (!best) throw new Error(`no .cpuprofile written in ${dir}`);
    file = best.f;
    summarize(file, top);
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`profile kept: ${file}\n`);
    return;
  }
  summarize(file, top);
}

function summarize(file: string, top: number): void {
  const { rows, totalMs } = selfTimeInSimulate(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(`self time inside simulate(): ${totalMs.toFixed(0)} ms sampled\n`);
  const shown = rows.slice(0, top);
  const w = Math.max(...shown.map((r) => r.fn.length), 8);
  for (const r of shown) {
    process.stdout.write(`  ${r.fn.padEnd(w)}  ${r.selfMs.toFixed(0).padStart(6)} ms  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.where}\n`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();

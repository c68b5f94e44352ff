/**
 * `edelear reproduce`: the main job (`npm start`). It runs the EDeLeaR paper's comparison
 * (scenarios/paper-edelear.yaml: EDeLeaR against its baselines and ablations, the paper's Tables
 * 1–5 and claims) and the federated experiment (scenarios/federated.yaml: FedAvg against local-only
 * and centralized training, the collaboration claim) side by side — two processes, one per core
 * of a two-core machine — then writes the HTML report over both.
 *
 *   results/paper/              compare's files (compare.csv, claims.csv, table1…5.csv, charts)
 *   results/paper/federated/    the federated study's files (fl_*.csv, claims.csv, charts)
 *   results/paper/report.html   the comparison, offline, linking federated/report.html (edelear report)
 *
 * Each step is the public command a user can run alone (`edelear compare`, `edelear run`,
 * `edelear report`), spawned as a child of the same binary, so the main job adds no figure of its
 * own. The federated study's default size (replications × rounds) is smaller than the scenario
 * file's (5 seeds × 20 rounds, about 9 minutes) so that the whole job stays within two minutes
 * here; `--fl-replications 5 --fl-rounds 20` runs it as written.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeOutputFolder } from './run.ts';
import { counted } from './format.ts';
import { WARNINGS_FILE } from '../report/warnings-file.ts';

/** Options of {@link reproduceCommand}. */
export interface ReproduceOptions {
  readonly out: string;
  /** Seeds per arm of the comparison. */
  readonly replications: number;
  /** Seeds of the federated study (≥ 2: one seed decides no claim). */
  readonly flReplications: number;
  /** Rounds of federated training. */
  readonly flRounds: number;
  readonly quiet: boolean;
  readonly charts: boolean;
}

/** The bin of this installation: bin/edelear.js, two folders up from src/cli or dist/cli. */
const BIN = fileURLToPath(new URL('../../bin/edelear.js', import.meta.url));
/** The scenarios shipped with the package. */
const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** One step: a child `edelear …` whose output is kept and shown only if it fails; its warnings, when it has an output folder, are kept there. */
export interface Step {
  readonly name: string;
  readonly args: readonly string[];
  /** The step's output folder, where its command keeps its warnings (`warnings.txt`). */
  readonly out?: string;
}

/**
 * Says how many times a step that succeeded warned (`warning: …` lines: baselines that overload a
 * node, nodes a run saturated, lp plans that did not fit…) and where they are kept: the step's own
 * command writes them into its results' `warnings.txt` (report/warnings-file.ts `writeWarnings`, listed in
 * its manifest, so the next command into the folder replaces it). The main job prints no figure of
 * its own and hides none of its steps' words. Returns that file, when there is one.
 */
export function stepWarnings(r: StepResult, quiet: boolean): string | undefined {
  if (r.step.out === undefined) return undefined;
  const file = join(r.step.out, WARNINGS_FILE);
  if (!existsSync(file)) return undefined;
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('warning: ')).length;
  // The notes kept beside the warnings (what a run met that is no error: cli/warnings.ts afterRunNotes); the console's other notes are not kept.
  const notes = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('note: ')).length;
  if (lines + notes === 0) return undefined;
  const what = [lines > 0 ? `warned ${counted(lines, 'time')}` : '', notes > 0 ? `noted ${counted(notes, 'thing')}` : ''].filter((w) => w !== '').join(' and ');
  if (!quiet) process.stderr.write(`reproduce: ${r.step.name} ${what}: ${file}\n`);
  return file;
}

/** What a finished step left: its exit code, wall seconds and what it wrote to standard error. */
export interface StepResult {
  readonly step: Step;
  readonly code: number;
  readonly seconds: number;
  readonly stderr: string;
}

function runStep(step: Step, quiet: boolean): Promise<StepResult> {
  const t0 = performance.now();
  if (!quiet) process.stderr.write(`reproduce: ${step.name} started: edelear ${step.args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...step.args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      const result = { step, code: code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1), seconds, stderr };
      if (!quiet) process.stderr.write(`reproduce: ${step.name} ${result.code === 0 ? 'done' : `FAILED (exit ${result.code})`} in ${seconds.toFixed(1)} s\n`);
      resolve(result);
    });
  });
}

/** Runs the comparison and the federated study at once, then the report; exits non-zero when a step failed. */
export async function reproduceCommand(options: ReproduceOptions): Promise<void> {
  const { out } = options;
  makeOutputFolder(out);
  const t0 = performance.now();
  const flOut = join(out, 'federated');
  const charts = options.charts ? [] : ['--no-charts'];
  const steps: Step[] = [
    {
      name: 'the paper comparison',
      args: ['compare', join(SCENARIOS, 'paper-edelear.yaml'), '--replications', String(options.replications), '--out', out, '--quiet', ...charts],
      out,
    },
    {
      name: 'the federated study',
      args: [
        'run',
        join(SCENARIOS, 'federated.yaml'),
        '--set',
        `learning.replications=${options.flReplications}`,
        '--set',
        `learning.rounds=${options.flRounds}`,
        '--out',
        flOut,
        '--quiet',
        ...charts,
      ],
      out: flOut,
    },
  ];
  const results = await Promise.all(steps.map((s) => runStep(s, options.quiet)));
  const failed = results.filter((r) => r.code !== 0);
  const warned = results.filter((r) => r.code === 0).map((r) => stepWarnings(r, options.quiet));
  for (const r of failed) process.stderr.write(`reproduce: ${r.step.name} failed (exit ${r.code}):\n${r.stderr}`);
  // The federated study's own report first: the comparison's report links to it as a part.
  for (const [name, dir] of [
    ['the federated report', flOut],
    ['the report', out],
  ] as const) {
    if (failed.length > 0) break;
    const report = await runStep({ name, args: ['report', dir, '--quiet'] }, options.quiet);
    if (report.code !== 0) failed.push(report), process.stderr.write(`reproduce: ${name} failed (exit ${report.code}):\n${report.stderr}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (failed.length > 0) {
    process.exitCode = Math.max(...failed.map((r) => r.code));
    return;
  }
  if (!options.quiet) {
    const html = join(out, 'report.html');
    process.stdout.write(
      `${out}: the paper comparison (${counted(options.replications, 'seed')} per arm) and the federated study (${counted(options.flReplications, 'seed')} × ${counted(options.flRounds, 'round')}) in ${seconds.toFixed(1)} s\n` +
        `  ${join(out, 'claims.csv')}           claims 1 (model size) and 2 (latency) against the simulation: holds, does not hold or inconclusive\n` +
        `  ${join(out, 'compare.csv')}          every arm against EDeLeaR, paired over seeds with 95% CIs\n` +
        `  ${join(flOut, 'claims.csv')}  claim 3, collaboration (+5% accuracy), per data split\n` +
        (existsSync(html) ? `  ${html}          the comparison's tables, claims and charts, offline, linking ${join(flOut, 'report.html')} (the federated study's)\n` : '') +
        warned.map((file) => (file === undefined ? '' : `  ${file}${' '.repeat(Math.max(1, 35 - file.length))}what the step warned of (arms that overload or saturate a node, lp plans that did not fit…)\n`)).join(''),
    );
  }
}

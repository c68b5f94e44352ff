#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { InputError, ioReason, printedInputError } from '../scenario/errors.ts';
import { counted } from './format.ts';

// Start-up is kept to commander and the error types: each command imports what it needs when
// it runs (the scenario schema, the world, charts, learning), so `edelear --help` starts in
// about the time Node itself takes.

/** Exit code of every bad input (file, flag, trace). */
const EXIT_BAD_INPUT = 2;

function seedOption(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got "${value}"`);
  }
  return Number(value);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const STRICT_HELP = 'treat warnings (a bare number implausible for its kind, e.g. bandwidth: 54; an overloaded node or link) as errors: exit 2';

const program = new Command()
  .name('edelear')
  .description('Discrete-event simulator of deep learning on IoT devices, edge servers and the cloud')
  .version((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version)
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) });

program
  .command('run')
  .description('simulate a scenario and write its results (CSV files and manifest.json)')
  .argument('<file>', 'scenario file (YAML or JSON)')
  .option('--seed <n>', 'random seed (overrides the scenario\'s seed)', seedOption)
  .option('--set <path=value>', 'override a scenario value, e.g. --set duration="5 min" (repeatable)', collect, [])
  .option('--out <dir>', 'output folder (default: results/<scenario name>)')
  .option('--trace', 'also write one row per request to trace.csv (memory grows with requests)', false)
  .option('-q, --quiet', 'print no progress and no summary (warnings and errors still go to standard error)', false)
  .option('--strict', STRICT_HELP, false)
  .option('--no-charts', 'do not write the Vega-Lite charts (.vl.json, .svg, .png)')
  .action(async (file: string, opts: { seed?: number; set: string[]; out?: string; trace: boolean; quiet: boolean; charts: boolean; strict: boolean }) => {
    const { runCommand } = await import('./run.ts');
    await runCommand(file, opts);
  });

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new InvalidArgumentError(`expected a positive whole number (1, 2, …), got "${value}"`);
  }
  return Number(value);
}

/** Threads per machine a flag may ask for: a run is CPU-bound, so more than this many per core only costs memory. */
const THREADS_PER_CORE = 4;

/** A count of worker threads: a positive integer, at most THREADS_PER_CORE × the cores (each thread holds its own modules and catalog, ≈ 14 MB). */
function threadCount(value: string): number {
  const n = positiveInteger(value);
  const cores = availableParallelism();
  const most = THREADS_PER_CORE * cores;
  if (n > most) {
    throw new InvalidArgumentError(
      `expected at most ${most} (${THREADS_PER_CORE} × this machine's ${cores} core${cores === 1 ? '' : 's'}), got "${value}": a run is CPU-bound, threads beyond the cores run no faster, and each holds its own modules and catalog (≈ 14 MB each)`,
    );
  }
  return n;
}

program
  .command('compare')
  .description('run EDeLeaR (the scenario as written), its baselines and ablations on the same seeds; write compare.csv with means, 95% CIs and paired differences')
  .argument('<file>', 'scenario file (YAML or JSON)')
  .option('--replications <n>', 'seeds per arm: seed, seed + 1, …, seed + n − 1 (every arm on the same ones)', positiveInteger, 5)
  .option('--arms <names>', 'run only these arms, comma-separated (the reference, EDeLeaR or as-written, always runs), e.g. --arms all-local,nearest-edge')
  .option('--seed <n>', "the first seed (default: the scenario's seed)", seedOption)
  .option('--set <path=value>', 'override a scenario value in every arm, e.g. --set duration="2 min" (repeatable)', collect, [])
  .option('--out <dir>', 'output folder (default: results/<scenario name>-compare)')
  .option('-q, --quiet', 'print no progress and no table (warnings and errors still go to standard error)', false)
  .option('--strict', `${STRICT_HELP}; an arm with warnings of its own is skipped`, false)
  .option('--no-charts', 'do not write the charts (compare, compare_energy, compare_latency and, with a compression study, accuracy_vs_size: .vl.json, .svg, .png)')
  .option('--no-paper-tables', "do not write the paper's tables and claims (table1–5.csv, compression_study.csv, pipelining.csv, claims.csv), which compare writes when the scenario uses EDeLeaR's own policies")
  .action(async (file: string, opts: { replications: number; arms?: string; seed?: number; set: string[]; out?: string; quiet: boolean; strict: boolean; charts: boolean; paperTables: boolean }) => {
    const { compareCommand } = await import('./compare.ts');
    await compareCommand(file, { ...opts, arms: opts.arms?.split(',') });
  });

program
  .command('report')
  .description('write report.html for a results folder (a run, a comparison or a sweep): what was run, claims and verdicts, tables and every chart, interactive and offline')
  .argument('<dir>', 'results folder written by edelear run, compare or sweep')
  .option('--out <file>', 'the page to write (default: DIR/report.html)')
  .option('-q, --quiet', 'print nothing on success', false)
  .action(async (dir: string, opts: { out?: string; quiet: boolean }) => {
    const { reportCommand } = await import('./report.ts');
    reportCommand(dir, opts);
  });

program
  .command('sweep')
  .description('run a parameter sweep (a sweep file: base scenario, parameters, arms, replications) in a worker pool; write results/<sweep>/summary.csv with means and 95% CIs; resumable')
  .argument('<file>', 'sweep file (YAML or JSON)')
  .option('--workers <n>', `worker threads (default: the number of cores; at most ${THREADS_PER_CORE} × the cores)`, threadCount)
  .option('--out <dir>', 'results folder (default: results/<sweep name>); runs already finished there are kept')
  .option('-q, --quiet', 'print no progress and no summary (warnings and errors still go to standard error)', false)
  .option('--strict', `${STRICT_HELP}; a run whose scenario has warnings of its own fails`, false)
  .option('--no-charts', 'do not write the charts of summary.csv (every metric against every varied parameter, 95% CI bands; p95 latency against load)')
  .option('--queue <url>', 'run the sweep on `edelear worker`s through a Redis queue (BullMQ): redis://[user:password@]host:port/db, or rediss:// for TLS')
  .option('--detach', 'with --queue: submit the runs and return; collect later with --collect', false)
  .option('--collect', 'with --queue: (re-)attach to a sweep submitted before, wait for its runs and write its results', false)
  .action(async (file: string, opts: { workers?: number; out?: string; quiet: boolean; strict: boolean; charts: boolean; queue?: string; detach: boolean; collect: boolean }) => {
    if ((opts.detach || opts.collect) && opts.queue === undefined) throw new InputError(opts.detach ? '--detach' : '--collect', [{ path: '', message: 'expected --queue URL with it (a local sweep runs in this process)' }]);
    if (opts.detach && opts.collect) throw new InputError('--detach', [{ path: '', message: 'expected --detach or --collect, not both' }]);
    if (opts.workers !== undefined && opts.queue !== undefined) throw new InputError('--workers', [{ path: '', message: "expected no --queue with it: through a queue the runs are taken by `edelear worker` processes (each its own --concurrency), not by this command's threads" }]);
    const { sweepCommand } = await import('./sweep.ts');
    await sweepCommand(file, opts);
  });

program
  .command('worker')
  .description('take the runs of sweeps submitted with `edelear sweep FILE --queue URL` from that queue and run them, until Ctrl-C (SIGINT) or SIGTERM')
  .requiredOption('--queue <url>', 'the queue: redis://[user:password@]host:port/db, or rediss:// for TLS')
  .option('--concurrency <n>', `runs at a time (default: the number of cores; at most ${THREADS_PER_CORE} × the cores)`, threadCount)
  .option('--results <dir>', "a results folder shared with the submitter: each run's files go to DIR/runs/<id>/")
  .option('-q, --quiet', 'print only warnings and errors', false)
  .action(async (opts: { queue: string; concurrency?: number; results?: string; quiet: boolean }) => {
    const { workerCommand } = await import('./worker.ts');
    await workerCommand(opts);
  });

program
  .command('reproduce')
  .description(
    "the main job (npm start): the EDeLeaR paper's comparison (scenarios/paper-edelear.yaml) and the federated study (scenarios/federated.yaml) side by side, then report.html of the comparison, linking the study's own (federated/report.html)",
  )
  .option('--out <dir>', 'output folder (the federated study goes to its federated/ subfolder)', 'results/paper')
  .option('--replications <n>', 'seeds per arm of the comparison', positiveInteger, 5)
  .option('--fl-replications <n>', 'seeds of the federated study (the scenario file says 5; one seed decides no claim)', positiveInteger, 3)
  .option('--fl-rounds <n>', 'rounds of federated training (the scenario file says 20)', positiveInteger, 5)
  .option('-q, --quiet', 'print nothing but errors', false)
  .option('--no-charts', 'write no charts')
  .action(async (opts: { out: string; replications: number; flReplications: number; flRounds: number; quiet: boolean; charts: boolean }) => {
    const { reproduceCommand } = await import('./reproduce.ts');
    await reproduceCommand(opts);
  });

program
  .command('validate')
  .description('check a scenario file (schema, units, references, topology) without running it')
  .argument('<file>', 'scenario file (YAML or JSON)')
  .option('--set <path=value>', 'override a scenario value before checking (repeatable)', collect, [])
  .option('--strict', STRICT_HELP, false)
  .action(async (file: string, opts: { set: string[]; strict: boolean }) => {
    const [{ loadScenario }, { buildWorldSpec }, { loadCatalog }, { buildLearningPlan }, { Warnings, warnScenario }] = await Promise.all([
      import('../scenario/load.ts'),
      import('../scenario/build.ts'),
      import('../scenario/catalog.ts'),
      import('../scenario/learning.ts'),
      import('./warnings.ts'),
    ]);
    const loaded = loadScenario(file, opts.set);
    const spec = buildWorldSpec(loaded, loadCatalog());
    const plan = buildLearningPlan(loaded, spec);
    const warnings = new Warnings(file, opts.strict);
    warnScenario(loaded, spec, warnings);
    for (const w of plan?.warnings ?? []) warnings.warn(w);
    warnings.settle();
    process.stdout.write(
      `${file}: valid — ${counted(spec.nodes.length, 'node')}, ${counted(spec.links.length, 'link')}, ${counted(spec.workloads.length, 'workload instance')}, ${loaded.scenario.duration} s\n`,
    );
  });

program
  .command('schema')
  .description('print the JSON Schema (draft 2020-12) of scenario files, for editors')
  .option('--out <file>', 'write it to a file instead of standard output')
  .action(async (opts: { out?: string }) => {
    const { scenarioJsonSchema } = await import('../scenario/schema.ts');
    const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    if (opts.out !== undefined && opts.out.trim() === '') throw new InputError('--out', [{ path: '', message: 'expected a file name for the schema, got an empty name (without --out it goes to standard output)' }]);
    if (opts.out !== undefined) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  });

// `edelear run … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // `edelear` with no command prints its usage: a usage error (exit 2), as a wrong command is.
      if (e.code === 'commander.help' && process.argv.length <= 2) process.exit(EXIT_BAD_INPUT);
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(0);
      process.exit(EXIT_BAD_INPUT);
    }
    if (e instanceof InputError) {
      process.stderr.write(printedInputError(e));
      process.exit(EXIT_BAD_INPUT);
    }
    // A file or folder the system refused (e.g. --out inside a file): bad input, not a bug.
    const io = e as NodeJS.ErrnoException;
    if (io instanceof Error && typeof io.code === 'string' && typeof io.syscall === 'string' && typeof io.path === 'string') {
      process.stderr.write(`error: ${io.path}: cannot ${io.syscall} (${ioReason(io)})\n`);
      process.exit(EXIT_BAD_INPUT);
    }
    process.stderr.write(`internal error (a bug in edelear, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  }
}

await main();

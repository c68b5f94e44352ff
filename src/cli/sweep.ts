import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeIdentity } from '../report/code-identity.ts';
import { gitCommit, scenarioHash, versions } from '../report/manifest.ts';
import type { Problem } from '../scenario/errors.ts';
import { defaultWorkers, workerPool } from '../sweep/pool.ts';
import { runWarningLines } from '../sweep/run-warnings.ts';
import { lockSweepFolder } from '../sweep/folder-lock.ts';
import type { Sweep } from '../sweep/schema.ts';

/*
 * `edelear sweep FILE`: reads the sweep file (sweep/schema.ts), checks its base scenario as `run`
 * does (its warnings; --strict: exit 2) and its arms' names, expands the design into runs
 * (sweep/plan.ts), runs the missing ones in a worker pool (sweep/execute.ts, sweep/pool.ts) with
 * progress on standard error, and writes summary.csv, runs.csv, failures.csv and manifest.json.
 *
 * The pool is started first, before this command loads the modules that check and plan the
 * sweep (they are imported when it runs): the threads load theirs while the main thread loads its
 * own and plans, so neither waits for the other (what a sweep does before its first run is not
 * shared among the workers).
 */

/** Exit code of a sweep some of whose runs failed (each is in failures.csv with its error); the others' results are written. */
export const EXIT_RUNS_FAILED = 4;

/** Failed runs printed one by one on standard error; the rest are counted (all are in failures.csv). */
const FAILURES_SHOWN = 10;

/** Options of `edelear sweep`. */
export interface SweepCommandOptions {
  /** Worker threads (default: the cores, os.availableParallelism()). */
  readonly workers?: number;
  /** Results folder (default results/<sweep name>). */
  readonly out?: string;
  readonly quiet: boolean;
  readonly strict: boolean;
  /** Write the sweep's charts (every metric against every varied parameter with 95% CI bands; p95 latency against load). Default true. */
  readonly charts?: boolean;
  /** Run on `edelear worker`s through this Redis queue (sweep/queue/submit.ts) instead of a local pool. */
  readonly queue?: string;
  /** With `queue`: submit and return. */
  readonly detach?: boolean;
  /** With `queue`: re-attach to a sweep submitted before (its failed runs are reported, not queued again). */
  readonly collect?: boolean;
}

const log = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

/** `edelear sweep FILE`. */
export async function sweepCommand(file: string, options: SweepCommandOptions): Promise<void> {
  const t0 = performance.now();
  const workers = options.workers ?? defaultWorkers();
  // Through a queue the runs are the workers' (no pool here).
  const pool = options.queue === undefined ? workerPool(workers) : undefined;
  const release: (() => void)[] = [];
  try {
    const commit = gitCommit();
    await sweepWith(file, workers, pool, t0, commit, options, release);
  } finally {
    for (const r of release) r();
    await pool?.destroy();
  }
}

/** The sweep once its pool is started: checks, plan, runs, tables, manifest and the console's lines. */
async function sweepWith(file: string, workers: number, pool: ReturnType<typeof workerPool> | undefined, t0: number, commit: Promise<string | null>, options: SweepCommandOptions, release: (() => void)[]): Promise<void> {
  const [{ loadSweep }, { loadScenario }, { loadCatalog }, { buildWorldSpec }, { defaultArms, namesReference }, { replicationSeeds }, { InputError }, { planSweep, pointOverrides, POINT_DOES_NOT_LOAD }, { executeSweep }, { writeTextAtomically }, { count, counted }, { startProgress }, { EXIT_INCOMPLETE, makeOutputFolder }, { CollectedWarnings, Warnings, warnScenario, runSizeWarning }, { offeredRequests }, { clearPreviousResults }, { writeWarnings }] =
    await Promise.all([
      import('../sweep/schema.ts'),
      import('../scenario/load.ts'),
      import('../scenario/catalog.ts'),
      import('../scenario/build.ts'),
      import('../scenario/compare-arms.ts'),
      import('../scenario/seeds.ts'),
      import('../scenario/errors.ts'),
      import('../sweep/plan.ts'),
      import('../sweep/execute.ts'),
      import('../sweep/store.ts'),
      import('./format.ts'),
      import('./progress.ts'),
      import('./run.ts'),
      import('./warnings.ts'),
      import('../world/offered-load.ts'),
      import('./results-folder.ts'),
      import('../report/warnings-file.ts'),
    ]);
  const sweep: Sweep = loadSweep(file);
  let base: ReturnType<typeof loadScenario>;
  try {
    base = loadScenario(sweep.scenario);
  } catch (e) {
    // A base scenario that cannot be read is a mistake in the sweep file: said at its scenario: key.
    if (e instanceof InputError && e.file === sweep.scenario && e.problems.length === 1 && e.problems[0].message.startsWith('cannot read the scenario file')) {
      throw new InputError(file, [{ path: 'scenario', line: sweep.locate(['scenario']), message: `${e.problems[0].message.replace('cannot read the scenario file', `cannot read ${sweep.scenario}`)} (relative to the sweep file's folder)` }]);
    }
    throw e;
  }
  const catalog = loadCatalog();
  const spec = buildWorldSpec(base, catalog, sweep.seed);
  if (spec.workloads.length === 0) {
    throw new InputError(sweep.scenario, [{ path: 'workloads', line: base.locate(['workloads']), message: 'expected at least one inference workload: a sweep reads its figures from the requests served' }]);
  }
  const collected = new CollectedWarnings(sweep.scenario, false);
  warnScenario(base, spec, collected);
  const warnings = new Warnings(sweep.scenario, options.strict);
  for (const w of collected.given) warnings.warn(w);
  warnings.settle();
  /** Warnings about the sweep file itself (its points, its arms): named by it, not by the base scenario. */
  const ofSweep = new Warnings(file, options.strict);
  // Every arm named must be an arm of the base scenario's table (it may still not apply at some point).
  const table = defaultArms(base, spec);
  const known = [...table.arms.map((a) => a.name), ...table.skipped.map((s) => s.name)];
  const unknown = sweep.givenPolicies.flatMap((p, i): Problem[] =>
    namesReference(p) || known.some((k) => k.toLowerCase() === p.toLowerCase()) ? [] : [{ path: `policies[${i}]`, line: sweep.locate(['policies', i]), message: `no arm named "${p}"; expected one of: ${known.join(', ')}` }],
  );
  if (unknown.length > 0) throw new InputError(file, unknown);
  // Seeds seed … seed + replications − 1 (the sweep's seed, else the base scenario's): each exact.
  replicationSeeds(
    sweep.seed ?? base.scenario.seed,
    sweep.replications,
    sweep.seed === undefined ? { file: sweep.scenario, path: 'seed', line: base.locate(['seed']), what: "the base scenario's seed" } : { file, path: 'seed', line: sweep.locate(['seed']), what: "the sweep's seed" },
  );
  const plan = planSweep(sweep, catalog, base.scenario.seed);
  // An arm that applies at no point (allocation-equal without a partitioned node): a mistake in the sweep file, exit 2 at the arm.
  const nowhere = sweep.givenPolicies.flatMap((p, i): Problem[] => {
    if (namesReference(p)) return [];
    const runs = plan.cells.filter((c) => c.policy.toLowerCase() === p.toLowerCase()).flatMap((c) => c.runs);
    const reason = runs[0]?.error;
    if (runs.length === 0 || reason === undefined || !reason.startsWith('arm ') || !runs.every((r) => r.error?.startsWith('arm ') || r.error?.startsWith('no arm named'))) return [];
    return [{ path: `policies[${i}]`, line: sweep.locate(['policies', i]), message: `expected an arm that applies at some point, but "${p}" applies at none (${reason.replace(/^arm \S+ does not apply at this point: /, '')})` }];
  });
  if (nowhere.length > 0) throw new InputError(file, nowhere);
  // An arm that sets a swept path runs its own value at every point: its rows would carry values it never ran.
  for (const arm of table.arms) {
    if (!sweep.givenPolicies.some((p) => p.toLowerCase() === arm.name.toLowerCase())) continue;
    const set = arm.overrides.map((o) => o.slice(0, o.indexOf('=')));
    const clash = sweep.parameters.find((p) => set.some((s) => s === p || p.startsWith(`${s}.`) || p.startsWith(`${s}[`) || s.startsWith(`${p}.`) || s.startsWith(`${p}[`)));
    if (clash !== undefined) ofSweep.warn(`arm ${arm.name} sets ${set.find((s) => s === clash || clash.startsWith(s) || s.startsWith(clash))}, which the sweep varies (${clash}): its rows run the arm's value at every point, whatever the parameter column says`);
  }
  if (base.scenario.learning !== undefined && !options.quiet) process.stderr.write('note: a sweep simulates the inference workloads only, as compare does; the learning section is not run (edelear run studies it)\n');
  // No point's scenario loads (a misspelt parameter path, a value of the wrong kind everywhere): a
  // mistake in the sweep file, not runs that failed — exit 2 at its parameters, before any folder.
  const planned = plan.cells.flatMap((c) => c.runs);
  if (planned.length > 0 && planned.every((r) => r.error?.startsWith(POINT_DOES_NOT_LOAD))) {
    const first = planned[0].error!.slice(POINT_DOES_NOT_LOAD.length).replaceAll("(from the sweep's point or arm)", "(from this sweep's parameters)");
    throw new InputError(file, [{ path: 'parameters', line: sweep.locate(['parameters']) ?? sweep.locate(['points']), message: `expected values the base scenario takes, but no point's scenario loads, so no run can be made; the first point's: ${first}` }]);
  }
  // A point whose run would take hours even at a rate never measured (the long-run warning of a
  // single run, there of the base scenario alone): said now, not when its run ends.
  const baseSize = runSizeWarning(offeredRequests(spec), spec.duration);
  plan.sizes.forEach((size, i) => {
    const warning = size && runSizeWarning(size.requests, size.duration);
    if (warning === undefined || warning === baseSize) return;
    const values = pointOverrides(sweep.parameters, sweep.points[i]);
    ofSweep.warn(`point ${i + 1} of ${sweep.points.length}${values.length > 0 ? ` (${values.join(', ')})` : ''}: ${warning}`);
  });
  ofSweep.settle();
  const out = options.out ?? join('results', sweep.name);
  if (options.queue !== undefined) {
    // A queue that cannot be used is refused (exit 2) before the results folder is made.
    const [{ checkRedis }, { parseQueueUrl }] = await Promise.all([import('../sweep/queue/connect.ts'), import('../sweep/queue/url.ts')]);
    const { connection, redacted } = parseQueueUrl(options.queue);
    await checkRedis(connection, redacted);
  }
  makeOutputFolder(out);
  // One sweep per results folder at a time (its tables are written in place): released when the command ends, or on Ctrl-C.
  const unlock = lockSweepFolder(out, file);
  release.push(unlock);
  const runsAsked = plan.cells.reduce((a, c) => a + c.runs.length, 0);
  if (!options.quiet) {
    log(`edelear sweep ${file}: ${sweep.points.length} point${sweep.points.length === 1 ? '' : 's'} × ${sweep.policies.length} arm${sweep.policies.length === 1 ? '' : 's'} × ${sweep.replications} replication${sweep.replications === 1 ? '' : 's'} = ${count(runsAsked)} runs (${count(plan.tasks.size)} distinct) ${options.queue === undefined ? `on ${workers} worker${workers === 1 ? '' : 's'}` : 'through a queue'}`);
  }
  let progress: ReturnType<typeof startProgress> | undefined;
  const failures: string[] = [];
  let outcome;
  let doneNow = 0;
  const onProgress = (done: number, total: number, failed: number) => {
    doneNow = done - failed;
    progress ??= startProgress({ label: 'sweep', total, unit: 'runs', quiet: options.quiet });
    progress.update(done, failed > 0 ? `${failed} failed` : undefined);
  };
  const onFailure = (id: string, error: string) => failures.push(`run ${id}: ${error}`);
  let queue: string | undefined;
  // Ctrl-C: say what is kept and how to go on (it exited 130 without a word), then stop at once.
  const onInterrupt = () => {
    progress?.stop(true);
    const again = `edelear sweep ${file}${options.out === undefined ? '' : ` --out ${out}`}${options.queue === undefined ? '' : ' --queue URL'}${options.strict ? ' --strict' : ''}`;
    process.stderr.write(
      options.queue === undefined
        ? `\nedelear sweep: interrupted; the ${counted(doneNow, 'run')} finished in this command ${doneNow === 1 ? 'is' : 'are'} kept in ${out}/runs/ with those done before (summary.csv is not written${previousTables(out, file, scenarioHash(sweep.text, []), scenarioHash(base.text, []))}): \`${again}\` resumes\n`
        : `\nedelear sweep: interrupted; the queued runs go on in the workers: \`${again} --collect\` waits for them and writes the tables\n`,
    );
    unlock();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    if (options.queue === undefined) {
      outcome = await executeSweep(sweep, plan, { out, workers, strict: options.strict, baseWarnings: collected.messages, pool, progress: onProgress, failure: onFailure });
    } else {
      const { submitSweep } = await import('../sweep/queue/submit.ts');
      const submitted = await submitSweep(sweep, plan, {
        url: options.queue,
        detach: options.detach === true,
        collect: options.collect === true,
        out,
        strict: options.strict,
        baseWarnings: collected.messages,
        submitted: (awaited, redacted) => {
          queue = redacted;
          if (!options.quiet && awaited > 0) log(`  ${count(awaited)} runs awaited from ${redacted} (start workers with: edelear worker --queue URL)`);
        },
        progress: onProgress,
        failure: onFailure,
        warn: (line) => process.stderr.write(`warning: ${line}\n`),
        reconnected: (line) => process.stderr.write(`${line}\n`),
      });
      if ('detached' in submitted) {
        if (!options.quiet) {
          const before = submitted.queued - submitted.added;
          log(`  ${count(submitted.alreadyDone)} runs already done (kept), ${count(submitted.added)} submitted to the queue ${submitted.redacted}${before > 0 ? `, ${count(before)} on it already (submitted before: not added again)` : ''} (one the queue holds done already is not run again)`);
          log(`  collect with: edelear sweep ${file} --queue URL --collect${options.out === undefined ? '' : ` --out ${out}`}${options.strict ? ' --strict' : ''}`);
        }
        return;
      }
      outcome = submitted;
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    progress?.stop();
  }
  // The runs' own warnings and notes (a battery emptied, an lp plan relaxed inside the warm-up), each kind once, naming the runs that gave it.
  const runLines = runWarningLines(sweep, plan.cells, outcome.finished, 'warnings');
  for (const line of runLines) process.stderr.write(`warning: ${line}\n`);
  const noteLines = runWarningLines(sweep, plan.cells, outcome.finished, 'notes').map((line) => `note: ${line}`);
  for (const line of noteLines) process.stderr.write(`${line}\n`);
  const incomplete = [...outcome.finished.values()].filter((r) => plan.tasks.has(r.id) && r.stopped !== undefined);
  const { version, dependencies } = versions();
  const files = [...outcome.files];
  // What the sweep warned of, as `run` and `compare` keep it: the base scenario's, the sweep file's and the runs' (each once, with how many runs gave it).
  files.push(...writeWarnings(out, [...warnings.said, ...ofSweep.said, ...runLines, ...noteLines]));
  // Charts from summary.csv as written (report/chart-files.ts): the figures are the table's, nothing recomputed.
  if (options.charts !== false && files.includes('summary.csv')) {
    const [{ readCsvRows, sweepCharts }, { writeCharts }] = await Promise.all([import('../report/chart-files.ts'), import('../report/render.ts')]);
    const rows = readCsvRows(join(out, 'summary.csv')).filter((r) => Number(r.replications) > 0);
    if (rows.length > 0) files.push(...(await writeCharts(out, sweepCharts(rows))));
  }
  files.push('manifest.json');
  // A sweep's tables are written in place (resumable): what the previous manifest lists and this one does not (charts of other points, a chart left out under --no-charts) goes, and report.html.
  const note = clearPreviousResults(out, new Set(files));
  if (note !== undefined && !options.quiet) process.stderr.write(`note: ${note}\n`);
  const manifest = {
    tool: 'edelear',
    version,
    gitCommit: await commit,
    // The code every run in runs/ was made by (report/code-identity.ts): runs of other code are run again.
    code: codeIdentity(),
    sweep: { file, sha256: scenarioHash(sweep.text, []), name: sweep.name },
    scenario: { file: sweep.scenario, sha256: scenarioHash(base.text, []) },
    node: process.version,
    dependencies,
    workers: queue === undefined ? workers : undefined,
    queue,
    runs: {
      asked: runsAsked,
      distinct: outcome.distinct,
      alreadyDone: outcome.alreadyDone,
      staleRerun: outcome.stale,
      unreadableRerun: outcome.unreadable,
      keptFailedStrict: outcome.keptFailedStrict,
      executed: outcome.executed,
      failed: outcome.failed,
      unresolved: outcome.unresolved,
      incomplete: incomplete.length,
    },
    wallSeconds: (performance.now() - t0) / 1000,
    files,
  };
  writeTextAtomically(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!options.quiet) {
    const partial = outcome.partialRemoved > 0 ? `; ${outcome.partialRemoved} partial run folder${outcome.partialRemoved === 1 ? '' : 's'} of an interrupted sweep removed` : '';
    const stale =
      (outcome.stale > 0 ? `; ${count(outcome.stale)} finished run${outcome.stale === 1 ? '' : 's'} of other code (another build of edelear, its data or dependencies) run again` : '') +
      (outcome.unreadable > 0 ? `; ${count(outcome.unreadable)} run folder${outcome.unreadable === 1 ? '' : 's'} without a readable result.json run again` : '') +
      (outcome.keptFailedStrict > 0 ? `; ${count(outcome.keptFailedStrict)} run${outcome.keptFailedStrict === 1 ? '' : 's'} done before without --strict fail${outcome.keptFailedStrict === 1 ? 's' : ''} under it (${outcome.keptFailedStrict === 1 ? 'it' : 'they'} warned: see failures.csv)` : '');
    const unresolved = outcome.unresolved > 0 ? `; ${count(outcome.unresolved)} cannot be made (see below)` : '';
    log(`  ${count(outcome.alreadyDone)} runs already done (kept), ${count(outcome.executed)} run now, ${count(outcome.failed)} of them failed${unresolved}${partial}${stale}`);
    const chartFiles = files.filter((f) => f.endsWith('.vl.json'));
    const tables = files.filter((f) => !/\.(vl\.json|svg|png)$/.test(f));
    log(`  results: ${out}/ (${tables.join(', ')}${chartFiles.length > 0 ? `, ${count(chartFiles.length)} charts as .vl.json, .svg and .png` : ''}; runs/<id>/ per run)`);
  }
  for (const line of failures.slice(0, FAILURES_SHOWN)) process.stderr.write(`error: ${line}\n`);
  if (failures.length > FAILURES_SHOWN) process.stderr.write(`error: and ${failures.length - FAILURES_SHOWN} more failed runs\n`);
  if (outcome.unresolved > 0) process.stderr.write(`error: ${outcome.unresolved} run(s) cannot be made (their point's or arm's scenario does not load, or the arm does not apply)\n`);
  if (outcome.failures > 0) {
    process.stderr.write(`error: ${outcome.failures} of ${runsAsked} runs did not finish; each is in ${join(out, 'failures.csv')} with its id and error (exit ${EXIT_RUNS_FAILED}; the others' results are written)\n`);
    process.exitCode = EXIT_RUNS_FAILED;
  } else if (incomplete.length > 0) {
    process.stderr.write(`error: ${incomplete.length} run(s) stopped early (requests in flight past limits.requestsInFlight); runs.csv marks them (status incomplete), and summary.csv counts them in its column incomplete and leaves them out of its means and intervals\n`);
    process.exitCode = EXIT_INCOMPLETE;
  }
}

/**
 * What an interrupted sweep says of the tables already in its folder: those of another sweep (its
 * manifest names another sweep file, or the same file or base scenario as it was before they
 * changed) are not this one's (helper-80: they stayed, indistinguishable, after an interrupt).
 */
function previousTables(out: string, file: string, sweepHash: string, scenarioSha: string): string {
  const path = join(out, 'manifest.json');
  if (!existsSync(path)) return '';
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as { sweep?: { file?: string; sha256?: string }; scenario?: { sha256?: string } };
    const same = m.sweep?.sha256 === sweepHash && m.scenario?.sha256 === scenarioSha;
    return same ? '; the tables there are this sweep\'s last finished ones' : `; the tables there, summary.csv and the others its manifest.json lists, are a previous sweep's (${m.sweep?.file ?? 'another file'}${m.sweep?.file === file ? ' as it was before it changed' : ''}), not this one's`;
  } catch {
    return '';
  }
}

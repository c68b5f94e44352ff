import type { RunResult } from '../metrics/simulate.ts';
import { lpWarmupNotes, lpWarnings } from '../policies/offloading/lp.ts';
import type { BuildWarning } from '../scenario/build.ts';
import { InputError, type Problem, formatProblem } from '../scenario/errors.ts';
import { NOTE } from '../report/warnings-file.ts';
import { SATURATED_GROWTH, SATURATED_UTILIZATION, saturation } from '../metrics/saturation.ts';
import { offeredRequests, overloadedLinks, overloadedNodes } from '../world/offered-load.ts';
import { DROP_REASONS, type World, type WorldSpec } from '../world/world.ts';
import { count, counted } from './format.ts';

/**
 * The warnings of one command about one scenario file: what is legal but most likely a slip.
 * Each is printed on standard error as it comes (`warning: …`), and the command goes on; under
 * `--strict` they are kept instead, and {@link settle} throws them as one {@link InputError}
 * (exit 2).
 */
export class Warnings {
  private readonly pending: Problem[] = [];
  /** Every warning given, as printed (without `warning: `): what a command keeps in its results' `warnings.txt`. */
  readonly said: string[] = [];

  constructor(
    /** The scenario file the warnings are about. */
    readonly file: string,
    readonly strict: boolean,
    private readonly stream: NodeJS.WritableStream = process.stderr,
  ) {}

  /** A warning at a place in the file (`file:line: path: message`), or about the run as a whole (a bare message). */
  warn(warning: Problem | string): void {
    const problem = typeof warning === 'string' ? { path: '', message: warning } : warning;
    this.said.push(typeof warning === 'string' ? warning : formatProblem(this.file, problem));
    if (this.strict) this.pending.push(problem);
    else this.stream.write(`warning: ${typeof warning === 'string' ? warning : formatProblem(this.file, problem)}\n`);
  }

  /**
   * A note: what a run met that its figures exclude (an lp program's relaxed plan inside the
   * warm-up, {@link afterRunNotes}). Printed (`note: …`) and kept in {@link said} with that prefix,
   * under `--strict` too; never an error.
   */
  note(message: string): void {
    this.said.push(`${NOTE}${message}`);
    this.stream.write(`${NOTE}${message}\n`);
  }

  /** Warnings kept for {@link settle} (under `--strict`; else 0: they were printed). */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Prints the warnings kept for {@link settle} as warnings after all (a run that failed otherwise: its own error comes first, and these are not made errors on top). */
  release(): void {
    for (const p of this.pending.splice(0)) this.stream.write(`warning: ${p.path === '' ? p.message : formatProblem(this.file, p)}\n`);
  }

  /** Under `--strict`, throws every warning given since the last call as errors; else does nothing. */
  settle(): void {
    if (this.pending.length === 0) return;
    const problems = this.pending.splice(0).map((p) => ({ ...p, message: `${p.message} (an error under --strict)` }));
    throw new InputError(this.file, problems);
  }
}

/** Collects warnings instead of printing them: as formatted messages and as given (a Problem keeps its line and path). */
export class CollectedWarnings extends Warnings {
  readonly messages: string[] = [];
  readonly given: (Problem | string)[] = [];

  override warn(warning: Problem | string): void {
    this.given.push(warning);
    this.messages.push(typeof warning === 'string' ? warning : formatProblem(this.file, warning));
  }
}

/**
 * Everything a finished run warns of, by kind: what it met ({@link runWarnings}) and its outcome
 * ({@link warnOutcome}: nothing generated or completed in the window). What run, compare, sweep
 * and a learning study's runs all check after each run.
 */
export function afterRunWarnings(result: RunResult, file: string): Map<string, string> {
  const out = runWarnings(result.world);
  const outcome = new CollectedWarnings(file, false);
  warnOutcome(result, outcome);
  // Keyed by what happened (the words before the first colon: "every request was dropped", "no request completed", …), so runs alike count as one kind.
  for (const m of outcome.messages) out.set(`outcome/${m.split(':')[0]}`, m);
  return out;
}

/**
 * What a finished run met that its figures exclude: the notes its lp programs gave when a solve
 * from measured rates inside the warm-up relaxed or fell back (the plan is solved again at the next
 * tick; the same after the warm-up is a warning of {@link afterRunWarnings}), each worded to say so.
 * Printed and kept in `warnings.txt`; not errors under `--strict`.
 */
export function afterRunNotes(result: RunResult): Map<string, string> {
  const { warmup } = result.world.spec;
  const out = new Map<string, string>();
  for (const [key, message] of lpWarmupNotes(result.world.spec.placement.policies)) {
    out.set(key, `inside the warm-up (the first ${warmup} s, which the figures exclude; the plan was solved again at the next tick, and the same after the warm-up is a warning): ${message}`);
  }
  const emptied = emptiedBatteries(result);
  if (emptied !== undefined) out.set('batteries/emptied', emptied);
  return out;
}

/**
 * The nodes whose batteries ran out before the run's end, in words (undefined: none, or nothing
 * was generated at all, which {@link warnOutcome} says): issuing devices first (from then on they
 * issue no request, so the window's figures cover them only up to then and the offered load
 * falls), then the others — an access point, gateway or server whose battery is empty is down,
 * and what is sent through it or to it is dropped (battery_empty in requests.csv; helper-84: only
 * issuing devices were named). A battery study may mean it: a note, not a warning.
 */
function emptiedBatteries(result: RunResult): string | undefined {
  const { spec, batteries } = result.world;
  if (result.metrics.all.generated === 0) return undefined;
  const issuing = [...new Set(spec.workloads.map((w) => w.device))];
  const byTime = (a: number, b: number) => batteries.emptyAt[a] - batteries.emptyAt[b];
  const emptied = issuing.filter((k) => batteries.emptyAt[k] <= spec.duration).sort(byTime);
  const isIssuing = new Set(issuing);
  const others = spec.nodes.flatMap((_, k) => (!isIssuing.has(k) && batteries.emptyAt[k] <= spec.duration ? [k] : [])).sort(byTime);
  if (emptied.length === 0 && others.length === 0) return undefined;
  const at = (k: number) => `${spec.nodes[k].name} at ${Number(batteries.emptyAt[k].toPrecision(4))} s`;
  const listed = (ks: readonly number[]) => `${firstFew(ks).map(at).join(', ')}${ks.length > 4 ? `, and ${ks.length - 3} more` : ''}`;
  const before = [...emptied, ...others].filter((k) => batteries.emptyAt[k] <= spec.warmup).length;
  const window = before > 0 ? `; ${count(before)} of them before the measurement window began at ${spec.warmup} s` : '';
  const parts = [
    emptied.length > 0 ? `the batteries of ${count(emptied.length)} of the ${counted(issuing.length, 'issuing device')} ran out before the end (${listed(emptied)}): a device whose battery is empty issues no more requests, so the figures cover its requests only up to then and the load offered to the rest falls` : '',
    others.length > 0 ? `the batteries of ${counted(others.length, 'node')} that ${others.length === 1 ? 'issues' : 'issue'} no requests ran out before the end (${listed(others)}): a node whose battery is empty is down, and what is sent to it or through it is dropped (battery_empty in requests.csv)` : '',
  ].filter((p) => p !== '');
  return `${parts.join('; ')} (battery_empty_at_s in nodes.csv)${window}`;
}

/** What a node or link overload counted of requests the run's model partitioning may split (world/offered-load.ts `splitAt`). */
const SPLIT_NOTE = 'counting the requests model partitioning may split as sent whole and run whole there; it decides their splits when the run starts (from the declared load on device, server and links up), and a split runs its first layers on the device and sends the tensors live at it, fewer bytes than the input or more: what happened is in partitioning.csv, nodes.csv and links.csv, and a saturated node or link is warned of after the run';

/** The first few of a list a warning names one by one: all of up to 4, else the first 3 (the rest said as "and N more"). */
function firstFew<T>(list: readonly T[]): readonly T[] {
  return list.length > 4 ? list.slice(0, 3) : list;
}

/** Warns of the nodes and links whose offered load reaches their capacity (the first few, then how many more). */
function warnOverload(spec: WorldSpec, warnings: Warnings): void {
  warnNodes(spec, warnings);
  const links = overloadedLinks(spec);
  const shownLinks = firstFew(links);
  for (const o of shownLinks) {
    const l = spec.links[o.link >> 1];
    const [from, to] = (o.link & 1) === 0 ? [l.a, l.b] : [l.b, l.a];
    const fate = l.maxWait === undefined ? 'its queue grows without bound' : `transfers that would wait over ${l.maxWait} s are dropped`;
    const what = o.split ? `would be offered more than its bandwidth if every request crossed it whole: ρ = ${o.rho.toFixed(3)} ≥ 1 (${SPLIT_NOTE}); then ${fate}` : `is offered more than its bandwidth: ρ = ${o.rho.toFixed(3)} ≥ 1; ${fate}`;
    warnings.warn(`link ${spec.nodes[from].name}→${spec.nodes[to].name} ${what}`);
  }
  if (shownLinks.length < links.length) {
    const rhos = links.slice(shownLinks.length).map((o) => o.rho);
    warnings.warn(`and ${links.length - shownLinks.length} more links with ρ from ${Math.min(...rhos).toFixed(3)} to ${Math.max(...rhos).toFixed(3)}`);
  }
}

function warnNodes(spec: WorldSpec, warnings: Warnings): void {
  const over = overloadedNodes(spec);
  const shown = firstFew(over);
  for (const o of shown) {
    const node = spec.nodes[o.node];
    const who = o.tenant === undefined ? '' : ` (tenant ${o.tenant} at its share)`;
    const fate = spec.admission?.governs(o.node)
      ? `its admission control (${spec.admission.name}) refuses the excess, dropped as vm-capacity`
      : node.queueLimit === undefined
        ? 'its queue grows without bound'
        : `its queue limit (${node.queueLimit}) drops the excess`;
    const batched = o.batch === undefined ? '' : ` even at full batches of ${o.batch} (the most its batcher forms)`;
    const what = o.split ? `would be offered more work than it can do if every request ran there whole: ρ = ${o.rho.toFixed(3)} ≥ 1${batched} (${SPLIT_NOTE}); then ${fate}` : `is offered more work than it can do: ρ = ${o.rho.toFixed(3)} ≥ 1${batched}; ${fate}`;
    warnings.warn(`node ${node.name}${who} ${what}`);
  }
  if (shown.length < over.length) {
    const rhos = over.slice(shown.length).map((o) => o.rho);
    warnings.warn(`and ${over.length - shown.length} more nodes with ρ from ${Math.min(...rhos).toFixed(3)} to ${Math.max(...rhos).toFixed(3)}`);
  }
}

/**
 * Warns of what a scenario says that is legal but implausible (scenario/plausibility.ts), of what
 * its build found (compression: accuracies estimated beyond published points, precisions a node
 * lacks, no variant that fits and meets the deadline; each once, at the compression setting's
 * path), and of overloaded nodes and links. `derived`: a configuration compare or sweep made of the
 * scenario (an arm, a point), which does not hear of settings that change nothing there (`idle`:
 * its own overrides may make them so, as an all-local arm does the scenario's partitioning).
 */
export function warnScenario(loaded: { readonly warnings: readonly Problem[] }, spec: WorldSpec & { readonly buildWarnings?: readonly BuildWarning[] }, warnings: Warnings, derived = false): void {
  for (const w of loaded.warnings) warnings.warn(w);
  for (const w of spec.buildWarnings ?? []) if (!(derived && w.idle)) warnings.warn({ path: w.path, message: w.message, ...(w.line === undefined ? {} : { line: w.line }) });
  warnOverload(spec, warnings);
  warnRunSize(spec, warnings);
}

/**
 * A rate the event loop has not reached, completed requests a wall second: bench/scale.ts
 * measures some 2×10^5 to 6×10^5 on a 2-core machine (docs/design.md, Speed). Dividing a run's
 * offered requests by it gives a lower bound on the run's wall time.
 */
export const FASTER_THAN_MEASURED = 1e6;

/** Runs whose wall time is at least this long even at {@link FASTER_THAN_MEASURED} are warned of, s. */
export const LONG_RUN_SECONDS = 3600;

/**
 * Warns when the run is so large that it would take over an hour even at a loop rate never
 * measured ({@link FASTER_THAN_MEASURED}): a duration or a rate in the wrong unit (`duration: 1e9`
 * is 31 years) would otherwise look like a hung run, its progress coming per 1/1000 of the duration.
 */
function warnRunSize(spec: WorldSpec, warnings: Warnings): void {
  const warning = runSizeWarning(offeredRequests(spec), spec.duration);
  if (warning !== undefined) warnings.warn(warning);
}

/** The warning of {@link warnRunSize} for a run offering `requests` over `duration` s, if it is that large. */
export function runSizeWarning(requests: number, duration: number): string | undefined {
  const atLeast = requests / FASTER_THAN_MEASURED;
  if (!(atLeast >= LONG_RUN_SECONDS)) return undefined;
  return (
    `the workloads offer about ${requests.toPrecision(2)} requests over the duration (${duration} s; Σ mean arrival rate × duration), each simulated one by one: even at ${count(FASTER_THAN_MEASURED)} requests a wall second, faster than the event loop has been measured, the run would take ${longTime(atLeast)}; check duration and the arrival rates (a bare number is in seconds, a bare rate per second)`
  );
}

/** A long wall time in words: "3.2 hours", "41 days", "2.7e+290 years". */
function longTime(s: number): string {
  const hours = s / 3600;
  if (hours < 48) return `${hours.toPrecision(2)} hours`;
  const days = hours / 24;
  if (days < 730) return `${Math.round(days)} days`;
  const years = days / 365.25;
  return `${years < 1e6 ? count(years) : years.toPrecision(2)} years`;
}

/**
 * Warns when no request completed although some were generated (in the measurement window):
 * every figure per completed request is then blank, and the reason is what the run found.
 */
export function warnOutcome(result: RunResult, warnings: Warnings): void {
  // A run stopped early says so itself (exit 3, results marked incomplete): what it left is not a finding about the arrivals.
  if (result.world.stopped !== undefined) return;
  const all = result.metrics.all;
  if (all.generated === 0 && result.world.spec.workloads.length > 0) {
    const { warmup, duration } = result.world.spec;
    // A device whose battery is empty generates nothing: the likelier cause, when some issuing devices ran out (a server's battery is not).
    const issuing = new Set(result.world.spec.workloads.map((w) => w.device));
    const emptied = [...issuing].map((k) => result.world.batteries.emptyAt[k]).filter((t) => t <= duration);
    const batteries =
      emptied.length > 0
        ? `the batteries of ${counted(emptied.length, 'issuing device')} ran out, the first at ${Number(Math.min(...emptied).toPrecision(3))} s (battery_empty_at_s in nodes.csv), and a device whose battery is empty generates no requests; else `
        : '';
    warnings.warn(
      `no request was generated in the measurement window (${warmup > 0 ? `after the ${warmup} s warm-up, ` : ''}before the end at ${duration} s): every per-request figure is blank; ${batteries}check the workloads' arrivals (a trace whose timestamps all lie beyond the duration${warmup > 0 ? ' or within the warm-up' : ''}, a rate too low for the duration)`,
    );
    return;
  }
  if (all.generated === 0 || all.completed > 0) return;
  const reasons = DROP_REASONS.filter((r) => all.dropped[r] > 0).map((r) => `${r} ${count(all.dropped[r])}`);
  const dropped = `${count(all.droppedTotal)} dropped${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`;
  const left = all.generated - all.droppedTotal;
  const what = left === 0 ? `every request was dropped: ${dropped} of ${count(all.generated)} generated` : `no request completed: of ${count(all.generated)} generated, ${dropped} and ${count(left)} still in flight at the end`;
  warnings.warn(`${what}; latency and energy per completed request are blank`);
}

/**
 * What a run met, by kind: its lp offloading programs (no plan at a tick, an instance without an
 * option, its trusted nodes down…), its model partitioning (start splits still changing when its
 * passes ran out) — they keep them and print nothing themselves — and the nodes and links it found
 * saturated (metrics/saturation.ts; the first 3, then how many more).
 */
export function runWarnings(world: World): Map<string, string> {
  const out = lpWarnings(world.spec.placement.policies);
  for (const [kind, message] of world.partitioning?.warnings ?? []) out.set(`partitioning/${kind}`, message);
  const { nodes, links } = saturation(world);
  const { spec } = world;
  const percent = (u: number) => `${(100 * u).toFixed(1)} %`;
  const after = 'so the latencies through it grow with the run (or would need a far longer run to settle) and are not steady-state figures';
  const shownNodes = firstFew(nodes);
  const tenantNames: string[] = [];
  for (const w of spec.workloads) tenantNames[w.group] = w.name;
  for (const o of shownNodes) {
    const name = spec.nodes[o.index].name;
    if (o.tenant !== undefined) {
      // A tenant's partition: one server at its share (its share may move under an allocation policy).
      const tenant = tenantNames[o.tenant] ?? 'processes';
      out.set(`saturated/node/${name}/${tenant}`, `node ${name}'s partition of tenant ${tenant} was saturated: serving ${percent(o.utilization)} of the measurement window at its share (the node as a whole was not), its jobs grew by ${count(o.growth)} while it served ${count(o.served)} (${count(o.backlog)} waiting at the end), ${after}`);
      continue;
    }
    out.set(`saturated/node/${name}`, `node ${name} was saturated: busy ${percent(o.utilization)} of the measurement window, its jobs grew by ${count(o.growth)} while it served ${count(o.served)} (${count(o.backlog)} beyond its slots at the end), ${after}`);
  }
  if (shownNodes.length < nodes.length) out.set('saturated/nodes', `and ${nodes.length - shownNodes.length} more saturated nodes (busy ≥ ${percent(SATURATED_UTILIZATION)}, their jobs grown by ≥ ${SATURATED_GROWTH} √(jobs served))`);
  const shownLinks = firstFew(links);
  for (const o of shownLinks) {
    const l = spec.links[o.index >> 1];
    const [from, to] = (o.index & 1) === 0 ? [l.a, l.b] : [l.b, l.a];
    const name = `${spec.nodes[from].name}→${spec.nodes[to].name}`;
    out.set(`saturated/link/${name}`, `link ${name} was saturated: busy ${percent(o.utilization)} of the measurement window, with ${o.backlog.toPrecision(3)} s of transmission still queued at the end, ${after}`);
  }
  if (shownLinks.length < links.length) out.set('saturated/links', `and ${links.length - shownLinks.length} more saturated links (busy ≥ ${percent(SATURATED_UTILIZATION)} with a backlog at the end)`);
  return out;
}


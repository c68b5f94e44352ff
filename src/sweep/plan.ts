import { buildWorldSpec } from '../scenario/build.ts';
import type { Catalog } from '../scenario/catalog.ts';
import { type Arm, defaultArms, EDELEAR_ARM, namesReference, referenceArm } from '../scenario/compare-arms.ts';
import { InputError } from '../scenario/errors.ts';
import { type LoadedScenario, loadScenario } from '../scenario/load.ts';
import { offeredRequests } from '../world/offered-load.ts';
import type { WorldSpec } from '../world/world.ts';
import { dataDigest } from './data-files.ts';
import { canonicalJson, runId, runIdOfJson } from './run-id.ts';
import type { Point, Sweep } from './schema.ts';

/**
 * A sweep expanded into its runs: per point of the design and arm, one run per seed, each with
 * its id (sweep/run-id.ts). The base scenario is loaded with the point's values as `--set`
 * overrides, then the arm's (scenario/compare-arms.ts, as `edelear compare` makes them for that
 * point's scenario). A point or an arm that does not load is not an error of the sweep: its runs
 * are planned as failed, with the reason, and the others go on.
 */

/** One run asked for by a (point, arm): its seed and id, and what makes its scenario. */
export interface PlannedRun {
  readonly id: string;
  readonly seed: number;
  /** `--set` overrides of the base scenario: the point's values, then the arm's. */
  readonly overrides: readonly string[];
  /** Why the run cannot be made (its scenario does not load, its arm does not apply); absent for a run to execute. */
  readonly error?: string;
}

/** A (point, arm): a row of summary.csv. */
export interface Cell {
  /** Index of the point in {@link Sweep.points}. */
  readonly point: number;
  /** The arm's name (the table's spelling, e.g. EDeLeaR, nearest-edge). */
  readonly policy: string;
  /** One per replication, in seed order. */
  readonly runs: readonly PlannedRun[];
}

/** What a worker needs to execute a run. */
export interface RunTask {
  readonly id: string;
  readonly seed: number;
  readonly overrides: readonly string[];
  /** The validated scenario, as canonical JSON (what the id hashes; written beside the results). */
  readonly scenarioJson: string;
  /** The digest of the data files it reads, hashed into the id too (sweep/data-files.ts); absent when it reads none. */
  readonly data?: string;
}

/** The sweep's cells in order, and the distinct runs to execute (two cells asking for the same scenario and seed share a run). */
export interface SweepPlan {
  readonly cells: readonly Cell[];
  readonly tasks: ReadonlyMap<string, RunTask>;
  /**
   * Per point of {@link Sweep.points}, the requests its scenario offers over its duration
   * (`offeredRequests`: Σ mean arrival rate × duration) and that duration, for the long-run
   * warning before any run starts; undefined for a point whose scenario does not load or build.
   */
  readonly sizes: readonly ({ readonly requests: number; readonly duration: number } | undefined)[];
}

/** A point's values as `--set` overrides (a value the point leaves out is the scenario's own). Values are written as JSON, which YAML reads back as they were. */
export function pointOverrides(parameters: readonly string[], point: Point): string[] {
  return parameters.flatMap((p, i) => (point[i] === undefined ? [] : [`${p}=${JSON.stringify(point[i])}`]));
}

/** An error's text on one line (an InputError lists one problem per line). */
function oneLine(e: unknown): string {
  return sweepWording((e instanceof Error ? e.message : String(e)).replaceAll('\n', '; '));
}

/** A loader's message in a sweep's words: a sweep has no --set flag; the values are its point's (and its arm's). */
export function sweepWording(message: string): string {
  return message.replaceAll('(from --set)', "(from the sweep's point or arm)").replace(/ \(in the file as changed by --set [^)]*\)/g, " (in the scenario as the sweep's point and arm change it)");
}

/**
 * Expands the sweep into cells and runs. `catalog` builds a point's world when arms other than
 * EDeLeaR need its tiers; `baseSeed` (the base scenario's seed) numbers the failed runs of a point
 * whose scenario does not load when the sweep names no seed.
 */
export function planSweep(sweep: Sweep, catalog: Catalog, baseSeed: number): SweepPlan {
  const cells: Cell[] = [];
  const tasks = new Map<string, RunTask>();
  const sizes: SweepPlan['sizes'][number][] = [];
  const onlyReference = sweep.policies.every(namesReference);
  // A point whose scenario does not load has no reference of its own: its failed cells take the name of the base scenario's.
  let baseName: string | undefined;
  const baseReference = (): string => {
    if (baseName === undefined) {
      try {
        baseName = referenceArm(loadScenario(sweep.scenario).scenario).name;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        baseName = EDELEAR_ARM;
      }
    }
    return baseName;
  };
  const seedsOf = (first: number) => Array.from({ length: sweep.replications }, (_, r) => first + r);
  for (const [index, point] of sweep.points.entries()) {
    const overrides = pointOverrides(sweep.parameters, point);
    const failAll = (reason: string, names: readonly string[] = sweep.policies) => {
      const first = sweep.seed ?? baseSeed;
      for (const given of names) {
        const policy = namesReference(given) ? baseReference() : given;
        cells.push({ point: index, policy, runs: seedsOf(first).map((seed) => failed(sweep.scenario, overrides, policy, seed, reason)) });
      }
    };
    let loaded: LoadedScenario;
    try {
      loaded = loadScenario(sweep.scenario, overrides);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      failAll(`${POINT_DOES_NOT_LOAD}${oneLine(e)}`);
      continue;
    }
    const seeds = seedsOf(sweep.seed ?? loaded.scenario.seed);
    let spec: WorldSpec | undefined;
    try {
      spec = buildWorldSpec(loaded, catalog);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // With the reference alone, each run fails with the build's error when it is made.
      if (!onlyReference) {
        failAll(`the point's scenario does not build: ${oneLine(e)}`);
        continue;
      }
    }
    sizes[index] = spec && { requests: offeredRequests(spec), duration: spec.duration };
    let table: { arms: Arm[]; skipped: { name: string; reason: string }[] } = { arms: [referenceArm(loaded.scenario)], skipped: [] };
    if (!onlyReference && spec) {
      try {
        table = defaultArms(loaded, spec);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        failAll(`the point's scenario does not build: ${oneLine(e)}`);
        continue;
      }
    }
    for (const name of sweep.policies) {
      // EDeLeaR and as-written both ask for the reference; its cells take the name it has at this point.
      const arm = namesReference(name) ? table.arms[0] : table.arms.find((a) => a.name.toLowerCase() === name.toLowerCase());
      const skipped = table.skipped.find((a) => a.name.toLowerCase() === name.toLowerCase());
      if (!arm) {
        const reason = skipped ? `arm ${skipped.name} does not apply at this point: ${skipped.reason}` : `no arm named "${name}" at this point`;
        cells.push({ point: index, policy: skipped?.name ?? name, runs: seeds.map((seed) => failed(sweep.scenario, overrides, name, seed, reason)) });
        continue;
      }
      const all = [...overrides, ...arm.overrides];
      let armLoaded = loaded;
      if (arm.overrides.length > 0) {
        try {
          armLoaded = loadScenario(sweep.scenario, all);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          cells.push({ point: index, policy: arm.name, runs: seeds.map((seed) => failed(sweep.scenario, all, arm.name, seed, `arm ${arm.name}'s overrides do not apply: ${oneLine(e)}`)) });
          continue;
        }
      }
      const scenarioJson = canonicalJson(armLoaded.scenario);
      const data = dataDigest(armLoaded.scenario, sweep.scenario);
      const runs = seeds.map((seed): PlannedRun => {
        const id = runIdOfJson(scenarioJson, seed, data);
        if (!tasks.has(id)) tasks.set(id, { id, seed, overrides: all, scenarioJson, ...(data === undefined ? {} : { data }) });
        return { id, seed, overrides: all };
      });
      cells.push({ point: index, policy: arm.name, runs });
    }
  }
  return { cells, tasks, sizes: Array.from(sweep.points, (_, i) => sizes[i]) };
}

/** How a run of a point whose scenario does not load begins its error (cli/sweep.ts tells a sweep where no point loads by it). */
export const POINT_DOES_NOT_LOAD = "the point's scenario does not load: ";

/** A run that cannot be made: its id hashes what was asked for (the scenario file, overrides, arm and seed), as there is no validated scenario to hash. */
function failed(scenario: string, overrides: readonly string[], policy: string, seed: number, error: string): PlannedRun {
  return { id: runId({ unresolved: { scenario, overrides, policy } }, seed), seed, overrides, error };
}

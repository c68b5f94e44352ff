import type { NodeKind } from '../world/node.ts';
import type { WorldSpec } from '../world/world.ts';
import { AS_WRITTEN_ARM, EDELEAR_ARM, namesReference } from './arm-names.ts';
import { InputError } from './errors.ts';
import type { LoadedScenario } from './load.ts';
import { DEFAULT_COMPRESSION_CANDIDATES, type Scenario, type ScenarioBatching, type ScenarioCache, type ScenarioModelCompression } from './schema.ts';

/**
 * The arms of `edelear compare`: named configurations of one scenario, each the scenario with a
 * few `path=value` overrides (exactly what `edelear run --set` takes, YAML values, so
 * `policies.placement={ fixed: "cloud" }` sets a mapping). The reference is the scenario as
 * written, named `EDeLeaR` when it uses one of EDeLeaR's own policies and `as-written` when it uses
 * none (a scenario placing by `nearest` is not EDeLeaR, and its rows must not say so); a baseline or an ablation changes one decision point, a whole baseline every one:
 *
 * - a baseline sets the decision point to one of the alternatives EDeLeaR must beat;
 * - an ablation, "EDeLeaR without X", switches X to its off policy — only when the scenario uses
 *   EDeLeaR's own policy for X (else there is nothing to take away);
 * - a whole baseline (role `whole-baseline`, named `baseline:<placement baseline>`, e.g.
 *   `baseline:all-cloud`) is a system with no EDeLeaR component at all: one of the placement
 *   baselines (all local, nearest edge, all cloud, least-loaded, random, round-robin) with every
 *   other decision point at its whole-system baseline — allocation `none` (no partitions: first
 *   come, first served on a partitioned node's slots; set only when some node is partitioned, else
 *   there is nothing to allocate), compression `none` (the model as declared — fp32 unless the workload declares another precision — uncompressed;
 *   set at every compression path the scenario has), no result cache (on every node that declares
 *   one), batching `none` (batches of one, on every node that batches) and partitioning
 *   `all-remote` (no split, when the scenario sets partitioning). A component baseline above keeps EDeLeaR's
 *   other components (`all-cloud` still allocates and compresses as EDeLeaR does); a whole baseline
 *   is what claim 2 of the paper ("average inference latency reduced by 40% against baseline
 *   approaches (allocation + offloading)") is judged against (cli/paper.ts, metrics/claims.ts).
 *   Listed when the scenario as written uses one of EDeLeaR's own policies (lp placement, edelear
 *   allocation, edelear compression, an edelear cache, adaptive batching, edelear partitioning): else its placement baselines are already whole systems. When
 *   the scenario has nothing else to switch off, a whole baseline's configuration is its placement
 *   baseline's and the comparison reuses those runs (`same_as`).
 *
 * {@link DECISION_POINTS} is the table: a decision point names the scenario paths that hold its
 * policy, when it has nothing to decide, how to tell EDeLeaR's own policy, its off policy, one
 * line per baseline, and which of them a whole baseline system takes. A new option in the schema
 * (compression, LP offloading) is a new row, or a new line in a row. Arms that do not apply to the
 * scenario (no edge node for "nearest edge") are listed as skipped with the reason.
 */

/** What an arm is in the comparison: the reference, a baseline of one decision point (EDeLeaR's other components kept), a whole baseline system (no EDeLeaR component), or an ablation. */
export type ArmRole = 'reference' | 'baseline' | 'whole-baseline' | 'ablation';

/** The prefix of a whole baseline's name: `baseline:` and its placement baseline's name. */
export const WHOLE_BASELINE_PREFIX = 'baseline:';

/** A named configuration: the scenario with overrides. */
export interface Arm {
  /** Its name in compare.csv and for `--arms` (no commas or spaces). */
  readonly name: string;
  readonly role: ArmRole;
  /** `path=value` overrides as `--set` takes them, applied after the command's own `--set`. */
  readonly overrides: readonly string[];
  /** What it is, in words (the console and manifest.json). */
  readonly description: string;
}

/** An arm that was not run, and why (it does not apply to the scenario, its overrides do not validate, or it repeats another arm). */
export interface SkippedArm {
  readonly name: string;
  readonly role: ArmRole;
  readonly reason: string;
  /** Skipped after its runs, for the warnings they met (`--strict`). */
  readonly afterRuns?: true;
  /** Its overrides do not apply to the scenario (it is no arm of this scenario, as those the table leaves out). */
  readonly inapplicable?: true;
}

export { AS_WRITTEN_ARM, EDELEAR_ARM, namesReference } from './arm-names.ts';

/** The reference arm of a scenario: EDeLeaR when the scenario as written uses one of its own policies, else `as-written`. */
export function referenceArm(s: Scenario): Arm {
  return usesEdelearPolicy(s)
    ? { name: EDELEAR_ARM, role: 'reference', overrides: [], description: 'the scenario as written' }
    : { name: AS_WRITTEN_ARM, role: 'reference', overrides: [], description: "the scenario as written, which uses none of EDeLeaR's own policies (so it is not called EDeLeaR)" };
}

/** What the table reads of the scenario: its validated form and its nodes' names per tier (counts expanded). */
export interface ArmContext {
  readonly scenario: Scenario;
  readonly tiers: ReadonlyMap<NodeKind, readonly string[]>;
}

/** A policy value to set (YAML text) — the same at every path, or per path — or why the arm does not apply to this scenario. */
type Choice = string | { readonly at: (path: string) => string } | { readonly skip: string };

/** One baseline of a decision point: its arm's name, what it does, and its policy value for a scenario. */
interface Baseline {
  readonly name: string;
  readonly description: string;
  readonly value: (ctx: ArmContext) => Choice;
  /** How a whole baseline's description names its value (default: the value itself, e.g. `none`). */
  readonly said?: string;
}

/** A decision point of EDeLeaR, as the comparison varies it. */
interface DecisionPoint {
  /** Its name in the schema (`policies.<point>`). */
  readonly point: string;
  /** EDeLeaR's component that decides it: the ablation is `EDeLeaR-without-<component>`. */
  readonly component: string;
  /** The scenario paths that hold its policy (each set to the arm's value). */
  readonly paths: (scenario: Scenario) => readonly string[];
  /** Why it has nothing to decide in this scenario (none of its arms then runs); undefined when it has. */
  readonly idle?: (ctx: ArmContext) => string | undefined;
  /** Whether its arms are listed at all (run or skipped); absent = always. A point a scenario does not use may stay out of the table. */
  readonly listed?: (scenario: Scenario) => boolean;
  /** Whether the scenario as written uses EDeLeaR's own policy here (the ablation runs only then). */
  readonly usesEdelear: (scenario: Scenario) => boolean;
  /** The policy that switches EDeLeaR's component off (the ablation's value). */
  readonly off: string;
  /** The off policy in words, for the ablation's description (default: `off` itself). */
  readonly offSaid?: string;
  /** A whole baseline says nothing of this point when it is not listed (a per-node setting no node declares); absent: it says why it sets nothing. */
  readonly quietWhenUnlisted?: boolean;
  readonly baselines: readonly Baseline[];
  /**
   * The name of the baseline a whole baseline system takes at this point (allocation-none,
   * compression-none); absent for the point whose every baseline makes a whole system of its own
   * (placement: one whole baseline per placement baseline).
   */
  readonly whole?: string;
}

/** A node name as a YAML scalar: quoted, so a name such as `null` or `yes` stays a string. */
const yamlName = (name: string): string => JSON.stringify(name);

/** The tiers a run-time placement baseline chooses among: the issuing device, and the edge and cloud tiers the scenario has. */
function among(policy: string): (ctx: ArmContext) => Choice {
  return (ctx) => {
    const tiers = (['edge', 'cloud'] as const).filter((t) => ctx.tiers.has(t));
    if (tiers.length === 0) return { skip: 'no edge or cloud node to choose among' };
    return `{ ${policy}: { tier: [device, ${tiers.join(', ')}] } }`;
  };
}

/**
 * Every decision point the comparison varies: placement (EDeLeaR's offloading), allocation,
 * compression — listed only when the scenario chooses variants with EDeLeaR's policy —, result
 * caching and dynamic batching — per-node settings, listed only when some node declares a cache
 * or a batcher; each arm sets every such node (its cache's capacity and lookup, its batcher's
 * max, preferred sizes and delay kept, the policy changed; `cache: null` takes a cache away) —,
 * and model partitioning, listed when the scenario sets `policies.partitioning`.
 */
export const DECISION_POINTS: readonly DecisionPoint[] = [
  {
    point: 'placement',
    component: 'offloading',
    // A workload's own placement overrides policies.placement: a baseline sets both.
    paths: (s) => ['policies.placement', ...s.workloads.flatMap((w, i) => (w.placement === undefined ? [] : [`workloads[${i}].placement`]))],
    // EDeLeaR's task offloading is the `lp` placement; without it, nothing is offloaded.
    usesEdelear: usesLpPlacement,
    off: 'local',
    baselines: [
      { name: 'all-local', description: 'every request on its own device', value: () => 'local' },
      {
        name: 'nearest-edge',
        description: 'every request on the edge server with the least unloaded route latency',
        value: (ctx) => (ctx.tiers.has('edge') ? '{ nearest: edge }' : { skip: 'the scenario has no edge node' }),
      },
      {
        name: 'all-cloud',
        description: 'every request in the cloud (the nearest cloud node when there are several)',
        value: (ctx) => {
          const clouds = ctx.tiers.get('cloud');
          if (!clouds) return { skip: 'the scenario has no cloud node' };
          return clouds.length === 1 ? `{ fixed: ${yamlName(clouds[0])} }` : '{ nearest: cloud }';
        },
      },
      { name: 'least-loaded', description: 'greedy: the device, edge or cloud node with the fewest jobs per slot', value: among('least-loaded') },
      { name: 'random', description: 'per request, the device, an edge or a cloud node drawn uniformly', value: among('random') },
      { name: 'round-robin', description: "each device's requests to the device, edge and cloud nodes in turn", value: among('round-robin') },
    ],
  },
  {
    point: 'allocation',
    component: 'allocation',
    paths: () => ['policies.allocation'],
    idle: (ctx) => (ctx.scenario.nodes.some((n) => typeof n.scheduler === 'object' && 'partitioned' in n.scheduler) ? undefined : 'no node has a partitioned scheduler: there are no shares to allocate'),
    usesEdelear: (s) => s.policies.allocation === 'edelear',
    off: 'static',
    baselines: [
      { name: 'allocation-equal', description: 'partitioned nodes share equally among the tenants that may use them', value: () => 'equal' },
      { name: 'allocation-static', description: 'partitioned nodes keep their declared shares', value: () => 'static' },
      { name: 'allocation-none', description: 'no partitions: first come, first served on the slots', value: () => 'none' },
    ],
    whole: 'allocation-none',
  },
  {
    point: 'compression',
    component: 'compression',
    // policies.compression when the scenario sets it, and every workload's own setting.
    paths: (s) => [
      ...(s.policies.compression === undefined ? [] : ['policies.compression']),
      ...s.workloads.flatMap((w, i) => (w.compression === undefined ? [] : [`workloads[${i}].compression`])),
    ],
    listed: usesEdelearCompression,
    usesEdelear: usesEdelearCompression,
    // Without EDeLeaR's choice every node runs the uncompressed model.
    off: 'none',
    baselines: [
      { name: 'compression-none', description: 'the model as declared (uncompressed; fp32 unless the workload declares another precision) on every node', value: () => 'none' },
      { name: 'compression-int8', description: 'int8 weights and activations on every node (at int8 speed where the node has it)', value: () => 'int8' },
      {
        name: 'compression-max',
        description: 'maximum compression: the candidate with the smallest stored size on every node, whatever its accuracy',
        // Among the same candidates EDeLeaR chooses from at each path.
        value: (ctx) => ({ at: (path: string) => maxOver(compressionAt(ctx.scenario, path)) }),
      },
    ],
    whole: 'compression-none',
  },
  {
    point: 'caching',
    component: 'caching',
    // Caches are per node: every node that declares one is set (its settings kept, the policy changed), or its cache taken away.
    paths: (s) => cacheNodes(s).map((i) => `nodes[${i}].cache`),
    idle: (ctx) => (ctx.scenario.workloads.some((w) => w.inputs !== undefined) ? undefined : 'no workload declares `inputs`: no request ever looks a result up'),
    listed: (s) => cacheNodes(s).length > 0,
    usesEdelear: usesEdelearCaching,
    // Without EDeLeaR's caching there is no cache at all.
    off: 'null',
    offSaid: 'none: no result cache on any node',
    quietWhenUnlisted: true,
    baselines: [
      { name: 'cache-lru', description: 'every cache keeps the least recently used results (same capacity and lookup)', value: (ctx) => ({ at: (path: string) => cacheWith(ctx.scenario, path, 'lru') }) },
      { name: 'cache-lfu', description: 'every cache keeps the most frequently used results, in-cache counts (same capacity and lookup)', value: (ctx) => ({ at: (path: string) => cacheWith(ctx.scenario, path, 'lfu') }) },
      { name: 'cache-none', description: 'no result cache on any node: every request computed', value: () => 'null', said: 'none' },
    ],
    whole: 'cache-none',
  },
  {
    point: 'batching',
    component: 'batching',
    // Batchers are node schedulers: every node that declares one is set.
    paths: (s) => batchingNodes(s).map((i) => `nodes[${i}].scheduler`),
    listed: (s) => batchingNodes(s).length > 0,
    usesEdelear: usesAdaptiveBatching,
    // Batches of one: first come, first served on the slots.
    off: '{ batching: { policy: none } }',
    offSaid: 'none: batches of one on every batching node',
    quietWhenUnlisted: true,
    baselines: [
      {
        name: 'batching-fixed',
        description: "every batcher sends batches up to its max (Triton's dynamic batcher with the same max, preferred sizes and delay; no adaptation)",
        value: (ctx) => ({ at: (path: string) => batcherWith(ctx.scenario, path, 'fixed') }),
      },
      { name: 'batching-none', description: 'no batching: batches of one, first come first served on the slots', value: () => '{ batching: { policy: none } }', said: 'none' },
    ],
    whole: 'batching-none',
  },
  // Model partitioning (policies.partitioning): EDeLeaR's split choice against no split.
  {
    point: 'partitioning',
    component: 'partitioning',
    paths: () => ['policies.partitioning'],
    listed: (s) => s.policies.partitioning !== undefined,
    usesEdelear: (s) => s.policies.partitioning?.policy === 'edelear',
    // Without EDeLeaR's split choice nothing is split: the input is sent whole.
    off: 'all-remote',
    offSaid: 'all-remote: no split, the input sent whole',
    quietWhenUnlisted: true,
    baselines: [
      { name: 'partitioning-all-local', description: 'no split: every request executed off its device runs its whole model on the device instead (k = L)', value: () => 'all-local' },
      { name: 'partitioning-all-remote', description: 'no split: the input is sent and the whole model runs where placement sent it (k = 0)', value: () => 'all-remote' },
    ],
    whole: 'partitioning-all-remote',
  },
];

/** The scenario entries of the nodes that declare a result cache. */
function cacheNodes(s: Scenario): number[] {
  return s.nodes.flatMap((n, i) => (n.cache === undefined ? [] : [i]));
}

/** The node's batcher (`scheduler: { batching }`), if it has one. */
function batcherOf(s: Scenario, i: number): ScenarioBatching | undefined {
  const sch = s.nodes[i].scheduler;
  return typeof sch === 'object' && 'batching' in sch ? sch.batching : undefined;
}

/** The scenario entries of the nodes whose scheduler is a dynamic batcher. */
function batchingNodes(s: Scenario): number[] {
  return s.nodes.flatMap((_, i) => (batcherOf(s, i) === undefined ? [] : [i]));
}

/** Whether some node's cache uses EDeLeaR's policy (the default policy of a cache). */
export function usesEdelearCaching(s: Scenario): boolean {
  return s.nodes.some((n) => n.cache?.policy === 'edelear');
}

/** Whether some node batches with EDeLeaR's adaptive policy. */
export function usesAdaptiveBatching(s: Scenario): boolean {
  return s.nodes.some((_, i) => batcherOf(s, i)?.policy === 'adaptive');
}

/** The entry index of a `nodes[i].…` path. */
function nodeAt(path: string): number {
  return Number(/^nodes\[(\d+)\]/.exec(path)![1]);
}

/** A node's validated cache with another policy, as YAML (SI numbers, a byte capacity with its unit). */
function cacheWith(s: Scenario, path: string, policy: ScenarioCache['policy']): string {
  const c = s.nodes[nodeAt(path)].cache!;
  const capacity = c.capacity.unit === 'entries' ? String(c.capacity.value) : JSON.stringify(`${c.capacity.value} B`);
  return `{ capacity: ${capacity}, policy: ${policy}, lookup: ${c.lookup}, energy: ${c.energy} }`;
}

/** A node's validated batcher under another policy, as YAML: the same max, preferred sizes, delay and fixed share (the adaptive policy's own keys dropped). */
function batcherWith(s: Scenario, path: string, policy: 'fixed'): string {
  const b = batcherOf(s, nodeAt(path))!;
  const keys = [`policy: ${policy}`, `max: ${b.max ?? 1}`, `preferred: ${JSON.stringify(b.preferred)}`, `delay: ${b.delay}`, ...(b.fixedShare === undefined ? [] : [`fixedShare: ${b.fixedShare}`])];
  return `{ batching: { ${keys.join(', ')} } }`;
}

/** Whether the scenario as written uses one of EDeLeaR's own policies: the lp placement, the edelear allocation, the edelear compression, an edelear result cache, adaptive batching or edelear partitioning. */
export function usesEdelearPolicy(s: Scenario): boolean {
  return usesLpPlacement(s) || s.policies.allocation === 'edelear' || usesEdelearCompression(s) || usesEdelearCaching(s) || usesAdaptiveBatching(s) || s.policies.partitioning?.policy === 'edelear';
}

/** Whether a scenario chooses compression variants with EDeLeaR's policy (policies.compression or a workload's own). */
export function usesEdelearCompression(s: Scenario): boolean {
  return [s.policies.compression, ...s.workloads.map((w) => w.compression)].some((c) => c?.policy === 'edelear');
}

/** The validated compression setting at one of the compression point's paths. */
function compressionAt(s: Scenario, path: string): ScenarioModelCompression {
  const m = /^workloads\[(\d+)\]\.compression$/.exec(path);
  return (m ? s.workloads[Number(m[1])].compression : s.policies.compression)!;
}

/** The `max` policy over a setting's candidates: the short form when they are the default ones, else the candidates written out (JSON is YAML). */
function maxOver(setting: ScenarioModelCompression): string {
  const same = JSON.stringify(setting.candidates) === JSON.stringify(DEFAULT_COMPRESSION_CANDIDATES);
  return same ? 'max' : `{ policy: max, candidates: ${JSON.stringify(setting.candidates)} }`;
}

/** The default arms for a scenario (loaded with the command's `--set`, built into `spec`), and those that do not apply to it. */
export function defaultArms(loaded: LoadedScenario, spec: WorldSpec): { arms: Arm[]; skipped: SkippedArm[] } {
  const tiers = new Map<NodeKind, string[]>();
  for (const n of spec.nodes) tiers.set(n.kind, [...(tiers.get(n.kind) ?? []), n.name]);
  const ctx: ArmContext = { scenario: loaded.scenario, tiers };
  const arms: Arm[] = [referenceArm(ctx.scenario)];
  const skipped: SkippedArm[] = [];
  const arm = (name: string, role: ArmRole, description: string, paths: readonly string[], value: string | ((path: string) => string)): Arm => {
    const overrides = paths.map((p) => `${p}=${typeof value === 'string' ? value : value(p)}`);
    return { name, role, description, overrides };
  };
  for (const point of DECISION_POINTS) {
    if (point.listed && !point.listed(ctx.scenario)) continue;
    const paths = point.paths(ctx.scenario);
    const idle = point.idle?.(ctx);
    const ablation = `${EDELEAR_ARM}-without-${point.component}`;
    for (const b of point.baselines) {
      const choice = idle === undefined ? b.value(ctx) : { skip: idle };
      if (typeof choice === 'string') arms.push(arm(b.name, 'baseline', b.description, paths, choice));
      else if ('at' in choice) arms.push(arm(b.name, 'baseline', b.description, paths, choice.at));
      else skipped.push({ name: b.name, role: 'baseline', reason: choice.skip });
    }
    if (idle === undefined && point.usesEdelear(ctx.scenario)) {
      arms.push(arm(ablation, 'ablation', `the scenario with ${point.point} ${point.offSaid ?? point.off}`, paths, point.off));
    } else {
      skipped.push({ name: ablation, role: 'ablation', reason: idle ?? `the scenario does not use EDeLeaR's ${point.component} (its ${point.point} policy)` });
    }
  }
  if (usesEdelearPolicy(ctx.scenario)) {
    const whole = wholeBaselines(ctx);
    arms.push(...whole.arms);
    skipped.push(...whole.skipped);
  }
  return { arms, skipped };
}

/**
 * The whole baseline systems: per placement baseline that applies, the arm `baseline:<name>` with
 * that placement and every other decision point at the baseline its `whole` names (allocation
 * none where a node is partitioned, compression none at each compression path the scenario has).
 */
function wholeBaselines(ctx: ArmContext): { arms: Arm[]; skipped: SkippedArm[] } {
  const placement = DECISION_POINTS.find((p) => p.point === 'placement')!;
  const rest: string[] = [];
  const said: string[] = [];
  for (const point of DECISION_POINTS) {
    if (point === placement || point.whole === undefined) continue;
    if (point.quietWhenUnlisted && point.listed && !point.listed(ctx.scenario)) continue;
    const b = point.baselines.find((x) => x.name === point.whole)!;
    const idle = point.idle?.(ctx);
    const paths = point.paths(ctx.scenario);
    const choice: Choice = idle === undefined ? b.value(ctx) : { skip: idle };
    if (typeof choice !== 'string' && 'skip' in choice) {
      said.push(`${point.point}: ${choice.skip}`);
    } else if (paths.length === 0) {
      said.push(`${point.point}: the scenario sets no ${point.point} policy${point.point === 'compression' ? ' (the model as declared)' : ''}`);
    } else {
      const values = paths.map((p) => valueAt(choice, p));
      rest.push(...paths.map((p, i) => `${p}=${values[i]}`));
      said.push(`${point.point} ${b.said ?? [...new Set(values)].join(' / ')}, ${b.description}`);
    }
  }
  const arms: Arm[] = [];
  const skipped: SkippedArm[] = [];
  const paths = placement.paths(ctx.scenario);
  for (const b of placement.baselines) {
    const name = `${WHOLE_BASELINE_PREFIX}${b.name}`;
    const choice = b.value(ctx);
    if (typeof choice !== 'string' && 'skip' in choice) {
      skipped.push({ name, role: 'whole-baseline', reason: choice.skip });
      continue;
    }
    const values = paths.map((p) => valueAt(choice, p));
    const description = `a whole baseline system, no EDeLeaR component: placement ${[...new Set(values)].join(' / ')}, ${b.description}; ${said.join('; ')}`;
    arms.push({ name, role: 'whole-baseline', description, overrides: [...paths.map((p, i) => `${p}=${values[i]}`), ...rest] });
  }
  return { arms, skipped };
}

/** A choice's value at one path (the same at every path, or per path). */
function valueAt(choice: Exclude<Choice, { readonly skip: string }>, path: string): string {
  return typeof choice === 'string' ? choice : choice.at(path);
}

/**
 * The arms `--arms` names (case does not matter), the reference (EDeLeaR, or `as-written`: either
 * name asks for it) always first. A name that is no arm of the table is an error naming the arms there are.
 */
export function selectArms(arms: readonly Arm[], skipped: readonly SkippedArm[], names: readonly string[] | undefined): Arm[] {
  if (names === undefined) return [...arms];
  const wanted = names.map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (wanted.length === 0) {
    throw new InputError(`--arms ${JSON.stringify(names.join(','))}`, [{ path: '', message: 'expected at least one arm name, comma-separated (e.g. --arms all-local,nearest-edge); without --arms every arm runs' }]);
  }
  const known = new Set([...arms, ...skipped].map((a) => a.name.toLowerCase()));
  const unknown = wanted.filter((n) => !known.has(n) && !namesReference(n));
  if (unknown.length > 0) {
    const all = [...arms.map((a) => a.name), ...skipped.map((s) => `${s.name} (not applicable: ${s.reason})`)];
    throw new InputError(`--arms ${names.join(',')}`, [{ path: '', message: `no arm named ${unknown.map((n) => `"${n}"`).join(', ')}; expected a comma-separated list of: ${all.join(', ')}` }]);
  }
  const chosen = arms.filter((a) => a.role === 'reference' || wanted.includes(a.name.toLowerCase()));
  // Only the reference left (arms named that do not apply here, or only the reference named): a
  // comparison with nothing, refused as a sweep refuses an arm that applies at no point.
  if (chosen.length === 1) {
    const inapplicable = skipped.filter((a) => wanted.includes(a.name.toLowerCase()));
    const why = inapplicable.length > 0 ? `no arm given applies to this scenario: ${inapplicable.map((a) => `${a.name}: ${a.reason}`).join('; ')}` : 'only the reference arm is named';
    const others = arms.filter((a) => a.role !== 'reference').map((a) => a.name);
    throw new InputError(`--arms ${names.join(',')}`, [{ path: '', message: `${why}, so there is nothing to compare the reference with${others.length > 0 ? `; name an arm of: ${others.join(', ')}` : '; no arm of the table applies to this scenario'}` }]);
  }
  return chosen;
}

/** Whether a scenario places some workload by the `lp` policy (in policies.placement or a workload's own placement). */
export function usesLpPlacement(s: Scenario): boolean {
  return [s.policies.placement, ...s.workloads.map((w) => w.placement)].some((p) => typeof p === 'object' && 'lp' in p);
}

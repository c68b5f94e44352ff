import { World, type WorldSpec } from '../world/world.ts';
import { RunMetrics } from './collectors.ts';

/** A finished run: the world as it ended and what the collectors measured. */
export interface RunResult {
  readonly world: World;
  readonly metrics: RunMetrics;
  /** Wall-clock seconds spent simulating (not building). */
  readonly wallSeconds: number;
}

/** The run broke an invariant of the simulation (a bug, never bad input). */
export class ConservationError extends Error {}

/**
 * Builds the world, runs it to its end time, and checks request conservation:
 * generated = completed + dropped + in flight, the last counted by the request pool.
 */
export function simulate(spec: WorldSpec, options: { trace?: boolean; attach?: (world: World) => void } = {}): RunResult {
  const groups: string[] = [];
  for (const w of spec.workloads) groups[w.group] = w.name;
  const metrics = new RunMetrics(groups, spec.warmup, options);
  const world = new World(spec, metrics);
  options.attach?.(world); // processes beside the requests, e.g. federated learning
  const t0 = performance.now();
  world.run();
  const wallSeconds = (performance.now() - t0) / 1000;
  const { generatedCount: g, completedCount: c, droppedCount: d, inFlight: f } = world;
  if (g !== c + d + f) {
    throw new ConservationError(`request conservation violated: generated ${g} ≠ completed ${c} + dropped ${d} + in flight ${f}`);
  }
  return { world, metrics, wallSeconds };
}

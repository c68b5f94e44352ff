import { World, type WorldSpec } from '../world/world.ts';
import { RunMetrics } from './collectors.ts';

/** A finished run: the world as it ended and what the collectors measured. */
export interface RunResult {
  readonly world: World;
  readonly metrics: RunMetrics;
  /** Wall-clock seconds spent simulating (not building). */
  readonly wallSeconds: number;
  /** Wall-clock seconds of constructing the world and its collectors before the run (seeding streams, first arrivals). */
  readonly worldSeconds: number;
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Keep one row per request (trace.csv). */
  readonly trace?: boolean;
  /** Adds processes beside the requests before the run, e.g. federated learning. */
  readonly attach?: (world: World) => void;
  /** Told the simulated time between the run's {@link PROGRESS_STEPS} slices (e.g. a progress bar's update). */
  readonly progress?: (now: number) => void;
}

/** Slices of simulated time between which {@link SimulateOptions.progress} is told the time. */
export const PROGRESS_STEPS = 1000;

/** The run broke an invariant of the simulation (a bug, never bad input). */
export class ConservationError extends Error {}

/**
 * Builds the world, runs it to its end time, and checks request conservation:
 * generated = completed + dropped + in flight, with in flight counted both by the request
 * pool and by the request events still pending (a leaked or doubly released request breaks it).
 */
export function simulate(spec: WorldSpec, options: SimulateOptions = {}): RunResult {
  const start = performance.now();
  const metrics = new RunMetrics(spec, spec.warmup, options);
  const world = new World(spec, metrics);
  options.attach?.(world); // processes beside the requests, e.g. federated learning
  const t0 = performance.now();
  world.run(options.progress, PROGRESS_STEPS);
  const wallSeconds = (performance.now() - t0) / 1000;
  const { generatedCount: g, completedCount: c, droppedCount: d, inFlight: f } = world;
  // In flight is counted twice, independently: by the request pool and by the pending request events.
  const e = world.inFlightByEvents();
  if (g !== c + d + f || f !== e) {
    throw new ConservationError(
      `request conservation violated: generated ${g}, completed ${c}, dropped ${d}, in flight ${f} by the pool and ${e} by pending events`,
    );
  }
  return { world, metrics, wallSeconds, worldSeconds: (t0 - start) / 1000 };
}

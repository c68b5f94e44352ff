import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest test files, longest first: the mean of their durations in two whole runs of the
 * suite (JSON reporter, 2026-11-27 11:08 and 11:25, two forks, load 4–8 with other work beside
 * them; dist/ stale in the first, so its spawned CLIs ran through tsx), after the fidelity cuts of
 * that morning (docs/design.md, "Habits"). Used only to order files when vitest has no timing of
 * its own for them (a fresh clone, as in CI): the long ones start first, so that none starts near
 * the end and leaves the last worker running it alone.
 */
const LONG_FILES = [
  'test/fidelity/queues.test.ts',
  'test/queue/faults.test.ts',
  'test/queue/sweep.test.ts',
  'test/cli/federated.test.ts',
  'test/sweep/sweep.test.ts',
  'test/learning/noniid.test.ts',
  'test/fidelity/runtime.test.ts',
  'test/world/partitioning.test.ts',
  'test/cli/determinism.test.ts',
  'test/cli/compare.test.ts',
  'test/scenario/bad-input.test.ts',
  'test/cli/paper.test.ts',
  'test/world/caching.test.ts',
  'test/queue/other-code.test.ts',
  'test/fidelity/edgecloudsim-app1.test.ts',
  'test/learning/process.test.ts',
  'test/world/world.test.ts',
  'test/queue/safety.test.ts',
  'test/report/html-browser.test.ts',
  'test/scenario/compression.test.ts',
  'test/core/queue.test.ts',
  'test/cli/warnings.test.ts',
  'test/policies/caching.test.ts',
  'test/report/charts.test.ts',
  'test/learning/mlp.test.ts',
  'test/policies/offloading-solvers.test.ts',
  'test/fidelity/mobility.test.ts',
  'test/queue/job-id.test.ts',
];

/**
 * Failed files first (vitest's rule), then the longest first by vitest's own timing of each file;
 * a file it has no timing for goes by LONG_FILES: a listed one before every timed file (it is known
 * to be long), in the list's order; an unlisted one last.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const state = (f: TestSpecification) => {
      const path = relative(config.root, f.moduleId).replaceAll('\\', '/');
      const cached = cache.getFileTestResults(`${f.project.name}:${path}`);
      const rank = LONG_FILES.indexOf(path);
      return { failed: cached?.failed ? 1 : 0, ms: cached?.duration ?? (rank < 0 ? 0 : 1e9 - rank) };
    };
    const keyed = files.map((f) => ({ f, ...state(f) }));
    keyed.sort((a, b) => b.failed - a.failed || b.ms - a.ms);
    return keyed.map((k) => k.f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // `vitest run` defaults to one worker fewer than the CPUs: a single worker on a 2-core machine,
    // so the files ran one after another. At least two forks keep both cores busy (the main process
    // only schedules and reports); VITEST_MAX_WORKERS or --maxWorkers still override it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Files share their fork's modules (not re-imported per file): the suite's imports (mathjs,
    // zod schemas, the scenario loader…) and their JIT warm-up are paid once per fork, not once per
    // file (test/policies, 24 files: 0.55× the CPU, docs/design.md "Habits"). Tests keep no state
    // between files: process-wide changes (exit code, stderr, fake timers) are undone where made, and
    // a test of a module's state before first use imports it afresh (vi.resetModules, then import()).
    isolate: false,
    sequence: { sequencer: LongestFirst },
    // A stale dist/ is said at the start: the spawned CLIs then start through tsx, not compiled.
    globalSetup: ['test/setup/stale-build.ts'],
  },
});

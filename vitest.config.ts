import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest test files, longest first: their durations in a whole run of the suite on a fresh
 * clone by `.ci/run` (2026-11-27 14:22, two forks, jupyter and the Redis server installed, so the
 * notebooks and queue tests ran; 182 s in all: the notebooks' 35 s file, missing from this list
 * then, started last and ran alone at the end). Used only to order files when vitest has no timing
 * of its own for them (a fresh clone, as in CI): the long ones start first, so that none starts
 * near the end and leaves the last worker running it alone.
 */
const LONG_FILES = [
  'test/fidelity/queues.test.ts', // 37.0 s
  'test/notebooks/notebooks.test.ts', // 35.5 s
  'test/cli/federated.test.ts', // 24.7 s
  'test/learning/noniid.test.ts', // 17.5 s
  'test/report/html-browser.test.ts', // 16.5 s
  'test/queue/faults.test.ts', // 15.9 s
  'test/queue/sweep.test.ts', // 14.5 s
  'test/sweep/sweep.test.ts', // 13.7 s
  'test/fidelity/runtime.test.ts', // 9.0 s
  'test/cli/paper.test.ts', // 8.3 s
  'test/core/queue.test.ts', // 7.7 s
  'test/cli/compare.test.ts', // 7.5 s
  'test/fidelity/edgecloudsim-app1.test.ts', // 7.4 s
  'test/policies/compression-real.test.ts', // 6.4 s
  'test/scenario/bad-input.test.ts', // 6.4 s
  'test/queue/safety.test.ts', // 6.2 s
  'test/world/world.test.ts', // 5.8 s
  'test/cli/determinism.test.ts', // 5.5 s
  'test/learning/process.test.ts', // 5.0 s
  'test/world/caching.test.ts', // 5.0 s
  'test/queue/other-code.test.ts', // 4.8 s
  'test/scenario/compression.test.ts', // 4.5 s
  'test/learning/mlp.test.ts', // 4.3 s
  'test/policies/offloading-columns.test.ts', // 3.9 s
  'test/world/partitioning.test.ts', // 3.8 s
  'test/cli/warnings.test.ts', // 3.5 s
  'test/policies/caching-bank.test.ts', // 3.4 s
  'test/sweep/code-identity.test.ts', // 3.3 s
  'test/policies/compression-layout.test.ts', // 3.1 s
  'test/policies/caching.test.ts', // 3.1 s
  'test/fidelity/mobility.test.ts', // 2.7 s
  'test/queue/job-id.test.ts', // 2.5 s
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

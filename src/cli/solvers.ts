import { usesLpPlacement } from '../scenario/compare-arms.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * Loads HiGHS (WebAssembly, asynchronous, ≈ 0.1–0.2 s) before the runs of a scenario whose
 * placement is the `lp` policy, so that its large programs go to HiGHS: a run is synchronous,
 * and a program past the solvers' threshold met before HiGHS is loaded would go to
 * javascript-lp-solver with a warning. Scenarios without `lp` load nothing.
 */
export async function prepareSolvers(scenario: Scenario): Promise<void> {
  if (!usesLpPlacement(scenario)) return;
  const { loadHighs } = await import('../policies/offloading/highs.ts');
  await loadHighs();
}

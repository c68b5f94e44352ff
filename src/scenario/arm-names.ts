/*
 * The names of a comparison's reference arm, apart from compare-arms.ts (which loads the schema)
 * so that report pages and sweep files can name it without loading what they do not use.
 */

/** The reference arm's name when the scenario as written uses one of EDeLeaR's own policies (compare-arms.ts `usesEdelearPolicy`). */
export const EDELEAR_ARM = 'EDeLeaR';
/** The reference arm's name when it uses none of them: it is the scenario as written, not EDeLeaR, and is not labelled so. */
export const AS_WRITTEN_ARM = 'as-written';

/** Whether `name` (any case) asks for the reference arm: it answers to both of its names, whichever it has. */
export function namesReference(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === EDELEAR_ARM.toLowerCase() || n === AS_WRITTEN_ARM;
}

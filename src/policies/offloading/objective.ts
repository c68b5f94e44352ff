import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';

/**
 * The named terms an offloading objective is written over, each a mean per request over the
 * workloads' arrival rates: `latency` (estimated latency, s), `energy` (energy the issuing
 * device spends: compute when local, radio when offloaded, J) and `exposure` (bytes of private
 * data sent off the issuing device, B; the paper's Σ x·D).
 */
export const OBJECTIVE_TERMS = ['latency', 'energy', 'exposure'] as const;
/** One of {@link OBJECTIVE_TERMS}. */
export type ObjectiveTerm = (typeof OBJECTIVE_TERMS)[number];

/** An objective to minimize: Σ weights[term] · term + constant. */
export interface LinearObjective {
  readonly text: string;
  readonly weights: Readonly<Record<ObjectiveTerm, number>>;
  readonly constant: number;
}

/** An objective that is not a linear expression over the terms. */
export class ObjectiveError extends Error {}

type Parse = (expr: string) => MathNode;
let parser: Parse | undefined;

/**
 * mathjs's expression parser alone: `create({ parseDependencies })` builds only the parser and
 * what it needs (a few ms once mathjs is loaded), not the 3 CPU-s of `create(all)`. mathjs itself
 * is loaded on first use (≈ 1 s), and only for an objective that is not a bare term name.
 */
function parse(): Parse {
  if (!parser) {
    const { create, parseDependencies } = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
    parser = create({ parseDependencies }, {}).parse as Parse;
  }
  return parser;
}

/** A linear form while the expression is walked: constant + Σ w[t]·term t. */
interface Form {
  c: number;
  w: number[];
}

const isTerm = (name: string): name is ObjectiveTerm => (OBJECTIVE_TERMS as readonly string[]).includes(name);
const hasTerms = (f: Form): boolean => f.w.some((x) => x !== 0);
const scaled = (f: Form, k: number): Form => ({ c: f.c * k, w: f.w.map((x) => x * k) });
const termsOf = (f: Form): string => OBJECTIVE_TERMS.filter((_, t) => f.w[t] !== 0).join(', ');

/**
 * Reads an objective written as a mathjs expression over the named terms (`latency`,
 * `latency + 0.2 * energy`, `(latency + exposure / 1e6) / 2`) and checks that it is linear in
 * them: sums, differences, products and quotients by constants, constants raised to constant
 * powers. Anything else — a product of two terms, a division by a term, a function, an unknown
 * name — is an {@link ObjectiveError} saying what and where; so is a number that is not finite
 * (`2^10000`, `1e200 * 1e200`: an infinite objective) and a negative weight on a term (the
 * objective is minimized, so `energy - latency` would make the plan seek latency; every term is
 * a cost). The constant may be negative: it does not change the optimum. Cost: one parse, at
 * build time; a bare term name skips mathjs.
 */
export function parseObjective(text: string): LinearObjective {
  const trimmed = text.trim();
  let form: Form;
  if (isTerm(trimmed)) {
    form = { c: 0, w: OBJECTIVE_TERMS.map((t) => (t === trimmed ? 1 : 0)) };
  } else {
    let node: MathNode;
    try {
      node = parse()(trimmed);
    } catch (e) {
      throw new ObjectiveError(`cannot read the objective "${text}": ${(e as Error).message}`);
    }
    form = linear(node, text);
  }
  if (!hasTerms(form)) throw new ObjectiveError(`the objective "${text}" names none of the terms ${OBJECTIVE_TERMS.join(', ')}: nothing to minimize`);
  OBJECTIVE_TERMS.forEach((t, k) => {
    if (form.w[k] < 0) throw new ObjectiveError(`the objective "${text}" puts a negative weight on ${t} (${form.w[k]}): an objective minimizes, so this would reward ${t}; expected weights ≥ 0 (every term is a cost)`);
  });
  const weights = Object.fromEntries(OBJECTIVE_TERMS.map((t, k) => [t, form.w[k]])) as Record<ObjectiveTerm, number>;
  return { text: trimmed, weights, constant: form.c };
}

/** The linear form of an expression; a number in it that is not finite is an {@link ObjectiveError}. */
function linear(node: MathNode, text: string): Form {
  const form = linearForm(node, text);
  // A constant that overflows (2^10000, 1e200 * 1e200) would make the objective infinite.
  if (!Number.isFinite(form.c) || !form.w.every(Number.isFinite)) {
    throw new ObjectiveError(`the objective "${text}" overflows: ${node.toString()} is not a finite number; expected constants and weights within ±1.8e308`);
  }
  return form;
}

function linearForm(node: MathNode, text: string): Form {
  const fail = (why: string): never => {
    throw new ObjectiveError(`the objective "${text}" is not linear in ${OBJECTIVE_TERMS.join(', ')}: ${why}`);
  };
  const n = node as MathNode & { value?: unknown; name?: string; content?: MathNode; fn?: string; op?: string; args?: MathNode[] };
  switch (node.type) {
    case 'ConstantNode':
      if (typeof n.value !== 'number' || !Number.isFinite(n.value)) fail(`${node.toString()} is not a finite number`);
      return { c: n.value as number, w: OBJECTIVE_TERMS.map(() => 0) };
    case 'SymbolNode': {
      const name = n.name!;
      if (!isTerm(name)) {
        throw new ObjectiveError(`the objective "${text}" names "${name}", which is not a term; expected ${OBJECTIVE_TERMS.join(', ')} (mean per request: s, J, B)`);
      }
      return { c: 0, w: OBJECTIVE_TERMS.map((t) => (t === name ? 1 : 0)) };
    }
    case 'ParenthesisNode':
      return linear(n.content!, text);
    case 'OperatorNode': {
      const args = n.args!.map((a) => linear(a, text));
      const [a, b] = args;
      switch (n.fn) {
        case 'unaryPlus':
          return a;
        case 'unaryMinus':
          return scaled(a, -1);
        case 'add':
          return { c: a.c + b.c, w: a.w.map((x, t) => x + b.w[t]) };
        case 'subtract':
          return { c: a.c - b.c, w: a.w.map((x, t) => x - b.w[t]) };
        case 'multiply':
          if (hasTerms(a) && hasTerms(b)) fail(`${node.toString()} multiplies ${termsOf(a)} by ${termsOf(b)}`);
          return hasTerms(a) ? scaled(a, b.c) : scaled(b, a.c);
        case 'divide':
          if (hasTerms(b)) fail(`${node.toString()} divides by ${termsOf(b)}`);
          if (b.c === 0) fail(`${node.toString()} divides by zero`);
          return scaled(a, 1 / b.c);
        case 'pow':
          if (hasTerms(a) || hasTerms(b)) fail(`${node.toString()} raises ${termsOf(hasTerms(a) ? a : b)} to a power`);
          return { c: a.c ** b.c, w: a.w };
        default:
          return fail(`the operator "${n.op}" in ${node.toString()} is not one of + − × /`);
      }
    }
    case 'FunctionNode':
      return fail(`${node.toString()} calls a function`);
    default:
      return fail(`${node.toString()} is a ${node.type}, not an arithmetic expression`);
  }
}

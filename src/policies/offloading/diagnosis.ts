import type { NodeSpec } from '../../world/node.ts';
import { PlacementError } from '../placement/placement.ts';
import type { RegisteredInstance } from './classes.ts';
import type { OffloadingDemand, PairFigures } from './demand.ts';
import type { OffloadingProblem } from './formulation.ts';
import type { OffloadingView } from './view.ts';

const ms = (s: number): string => `${+(s * 1000).toPrecision(3)} ms`;

/**
 * Why an instance can never be placed by the program, whatever the world does, or undefined when
 * it can: no candidate may hold its data (its privacy level above every candidate's trust, its
 * own device not a candidate), or none of those that may could meet its deadline even unloaded
 * (transfer + compute). Asked when the policy is built, so the scenario is refused (exit 2) at the
 * privacy level (`lp.privacy` under the placement entry) or at the workload's deadline, instead
 * of every solve falling back. Cost O(candidates).
 */
export function unplaceable(nodes: readonly NodeSpec[], d: OffloadingDemand, device: number, f: PairFigures): PlacementError | undefined {
  const who = `workload ${d.name} on ${nodes[device].name}`;
  const trusted = [...f.nodes.keys()].filter((c) => f.trusted[c] === 1);
  if (trusted.length === 0) {
    const trust = [...f.nodes].map((k) => `${nodes[k].name} ${nodes[k].trust}`).join(', ');
    const most = Math.max(...[...f.nodes].map((k) => nodes[k].trust));
    return new PlacementError(
      `${who}: its privacy level ${d.privacy} is above the trust of every candidate (${trust}) and its own device is not one; expected a privacy level of at most ${most}, or its device or a node of trust ≥ ${d.privacy} among the candidates`,
      { placement: ['lp', 'privacy'] },
    );
  }
  const unloaded = (c: number): number => f.transfer[c] + f.compute[c];
  if (trusted.some((c) => unloaded(c) <= d.deadline)) return undefined;
  const late = trusted.map((c) => `${nodes[f.nodes[c]].name} ${Number.isFinite(unloaded(c)) ? ms(unloaded(c)) : 'never (unreachable, or no throughput at its precision)'}`);
  const least = Math.min(...trusted.map(unloaded));
  return new PlacementError(
    `${who}: its ${ms(d.deadline)} deadline is below the unloaded latency (transfer + compute) of every candidate that may hold its data: ${late.join(', ')}; expected a deadline of at least ${Number.isFinite(least) ? ms(least) : 'a reachable candidate’s'}, or a faster candidate`,
    { workload: ['deadline'] },
  );
}

/**
 * Why an instance has no admissible candidate, naming its workload and device and, per
 * candidate, what rules it out: down, a trust below the workload's privacy level, or an
 * estimated latency over its deadline. Cost O(candidates).
 */
export function noOptionReason(view: OffloadingView, x: RegisteredInstance, latency: Float64Array): string {
  const f = x.figures;
  const d = x.demand;
  const name = (k: number): string => view.nodes[k].name;
  const down: string[] = [];
  const untrusted: string[] = [];
  const late: string[] = [];
  f.nodes.forEach((k, c) => {
    if (!view.isUp(k)) down.push(name(k));
    else if (f.trusted[c] !== 1) untrusted.push(`${name(k)} (trust ${view.nodes[k].trust})`);
    else late.push(`${name(k)} (${Number.isFinite(latency[c]) ? ms(latency[c]) : 'unreachable'})`);
  });
  const why = [
    untrusted.length > 0 ? `trust below its privacy level ${d.privacy}: ${untrusted.join(', ')}` : '',
    late.length > 0 ? `estimated latency over its ${ms(d.deadline)} deadline: ${late.join(', ')}` : '',
    down.length > 0 ? `down: ${down.join(', ')}` : '',
  ].filter((s) => s !== '');
  return `workload ${d.name} on ${name(x.device)} has no admissible candidate (${why.join('; ')})`;
}

/**
 * Why a feasible-looking offloading problem is infeasible, by the cheapest test that proves it:
 * the least mean energy (or exposure) per request any plan can reach, each class on its most
 * frugal option, above the budget; else the capacity of the nodes under the utilization cap
 * (with the budgets and the batteries' rows, if any). Cost O(Σ options).
 */
export function infeasibility(p: OffloadingProblem): string {
  const total = p.classes.reduce((s, c) => s + c.members * c.rate, 0);
  const share = (c: (typeof p.classes)[number]): number => (total > 0 ? (c.members * c.rate) / total : c.members / p.classes.reduce((s, x) => s + x.members, 0));
  const least = (pick: (c: (typeof p.classes)[number]) => Float64Array): number => p.classes.reduce((s, c) => s + share(c) * Math.min(...pick(c)), 0);
  const energy = least((c) => c.energy);
  if (energy > p.energyBudget) return `the energy budget (${+p.energyBudget.toPrecision(4)} J per request) is below the least mean device energy any plan reaches (${+energy.toPrecision(4)} J)`;
  const exposure = least((c) => c.exposure);
  if (exposure > p.privacyBudget) return `the privacy budget (${+p.privacyBudget.toPrecision(4)} B per request) is below the least mean exposure any plan reaches (${+exposure.toPrecision(4)} B)`;
  const set = [Number.isFinite(p.energyBudget) ? 'energy' : '', Number.isFinite(p.privacyBudget) ? 'privacy' : ''].filter((b) => b !== '');
  const batteries = p.classes.some((c) => c.energyCap !== undefined && c.energyCap < Infinity);
  const limits = [...(set.length === 0 ? [] : [`the ${set.join(' and ')} budget${set.length === 1 ? '' : 's'}`]), ...(batteries ? ["the batteries' energy per request"] : [])];
  const budgets = limits.length === 0 ? '' : ` together with ${limits.join(' and ')}`;
  const tenantRows = p.classes.some((c) => c.tenant !== undefined && [...c.nodes].some((k) => k >= 0 && p.tenantCapacity?.(k, c.tenant!) !== undefined));
  const shares = tenantRows ? ` (on a partitioned node, each workload at its share × ${p.utilization})` : '';
  return `the admissible nodes cannot take the offered load at utilization ≤ ${p.utilization}${shares}${budgets}`;
}

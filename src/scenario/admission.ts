import { DeclaredUtilization } from '../policies/admission/declared-utilization.ts';
import type { AdmissionControl } from '../world/admission.ts';
import type { NodeSpec } from '../world/node.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import type { Scenario } from './schema.ts';

/**
 * The run's admission control from the nodes' `admission` and the workloads' `vmUtilization`
 * (policies/admission/declared-utilization.ts): undefined when no node declares admission, so
 * runs without it pay nothing. A request of workload instance i declares on node k its
 * workload's figure for k's kind (0 when the workload names none).
 */
export function admissionOf(s: Scenario, nodes: readonly NodeSpec[], entryOf: readonly number[], workloads: readonly WorkloadSpec[]): AdmissionControl | undefined {
  // A node whose kind no workload declares a utilization for books nothing and refuses nothing: it is not governed, so its queue is judged as any other's (helper-88: an overload there was said to be refused, and went unwarned).
  const booked = admissionKinds(s);
  const settings = nodes.map((n, k) => (booked.has(n.kind) ? s.nodes[entryOf[k]].admission : undefined));
  if (settings.every((a) => a === undefined)) return undefined;
  // Instances of one scenario workload share its group (workload names are unique: group = entry index).
  const declared = s.workloads.map((w) => w.vmUtilization ?? {});
  const group = Int32Array.from(workloads, (w) => w.group);
  return new DeclaredUtilization(settings, (i, k) => declared[group[i]][nodes[k].kind] ?? 0);
}

/** The node kinds some workload declares a positive `vmUtilization` for: admission on a node of another kind refuses nothing. */
export function admissionKinds(s: Scenario): Set<string> {
  return new Set(s.workloads.flatMap((w) => Object.entries(w.vmUtilization ?? {}).flatMap(([kind, u]) => (typeof u === 'number' && u > 0 ? [kind] : []))));
}

/**
 * Workloads that declare more utilization for a node kind than an admitting node of that kind's VM
 * holds: every request of theirs there is refused as vm-capacity (helper-88: accepted in silence, and
 * the overload warning blamed ρ). A warning at the declared figure, once per workload, kind and node entry.
 */
export function admissionWarnings(s: Scenario, nodes: readonly NodeSpec[], entryOf: readonly number[]): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  const said = new Set<string>();
  nodes.forEach((n, k) => {
    const a = s.nodes[entryOf[k]].admission;
    if (a === undefined) return;
    s.workloads.forEach((w, i) => {
      const u = w.vmUtilization?.[n.kind];
      const key = `${i}/${n.kind}/${entryOf[k]}`;
      if (u === undefined || !(u > a.capacity) || said.has(key)) return;
      said.add(key);
      out.push({ path: ['workloads', i, 'vmUtilization', n.kind], message: `${u} is more than a VM of ${n.name} holds (admission capacity ${a.capacity}): every request of this workload there is refused, dropped as vm-capacity` });
    });
  });
  return out;
}

import { overloadedNodes } from '../world/offered-load.ts';
import type { WorldSpec } from '../world/world.ts';

/** Warns, on standard error, of the nodes whose offered load reaches their capacity (the first few, then how many more). */
export function warnOverload(spec: WorldSpec): void {
  const over = overloadedNodes(spec);
  const shown = over.length > 4 ? over.slice(0, 3) : over;
  for (const o of shown) {
    const node = spec.nodes[o.node];
    const who = o.tenant === undefined ? '' : ` (tenant ${o.tenant} at its share)`;
    const fate = node.queueLimit === undefined ? 'its queue grows without bound' : `its queue limit (${node.queueLimit}) drops the excess`;
    process.stderr.write(`warning: node ${node.name}${who} is offered more work than it can do: ρ = ${o.rho.toFixed(3)} ≥ 1; ${fate}\n`);
  }
  if (shown.length < over.length) {
    const rhos = over.slice(shown.length).map((o) => o.rho);
    process.stderr.write(`warning: and ${over.length - shown.length} more nodes with ρ from ${Math.min(...rhos).toFixed(3)} to ${Math.max(...rhos).toFixed(3)}\n`);
  }
}

import { overloadedLinks, overloadedNodes } from '../world/offered-load.ts';
import type { WorldSpec } from '../world/world.ts';

/** Warns, on standard error, of the nodes and links whose offered load reaches their capacity (the first few, then how many more). */
export function warnOverload(spec: WorldSpec): void {
  warnNodes(spec);
  const links = overloadedLinks(spec);
  const shownLinks = links.length > 4 ? links.slice(0, 3) : links;
  for (const o of shownLinks) {
    const l = spec.links[o.link >> 1];
    const [from, to] = (o.link & 1) === 0 ? [l.a, l.b] : [l.b, l.a];
    const fate = l.maxWait === undefined ? 'its queue grows without bound' : `transfers that would wait over ${l.maxWait} s are dropped`;
    process.stderr.write(`warning: link ${spec.nodes[from].name}→${spec.nodes[to].name} is offered more than its bandwidth: ρ = ${o.rho.toFixed(3)} ≥ 1; ${fate}\n`);
  }
  if (shownLinks.length < links.length) {
    const rhos = links.slice(shownLinks.length).map((o) => o.rho);
    process.stderr.write(`warning: and ${links.length - shownLinks.length} more links with ρ from ${Math.min(...rhos).toFixed(3)} to ${Math.max(...rhos).toFixed(3)}\n`);
  }
}

function warnNodes(spec: WorldSpec): void {
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

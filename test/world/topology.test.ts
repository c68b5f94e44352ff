import { describe, expect, it } from 'vitest';
import type { LinkSpec } from '../../src/world/link.ts';
import { RouteTable } from '../../src/world/routes.ts';
import { Topology } from '../../src/world/topology.ts';

/** A deterministic pseudo-random generator (LCG), so the topologies are the same every run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** A random connected graph: a random spanning tree plus `extra` random links, random delays and bandwidths. */
function randomLinks(n: number, extra: number, rnd: () => number): LinkSpec[] {
  const links: LinkSpec[] = [];
  const link = (a: number, b: number): LinkSpec => ({ a, b, bandwidth: 1e6 * (1 + 99 * rnd()), delay: 1e-3 * (1 + 99 * rnd()), txEnergyPerBit: 0, rxEnergyPerBit: 0 });
  for (let v = 1; v < n; v++) links.push(link(Math.floor(rnd() * v), v));
  for (let e = 0; e < extra; e++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    if (a !== b) links.push(link(a, b));
  }
  return links;
}

/** Brute force: Floyd–Warshall distances and next hops over the same link costs. */
function floydWarshall(n: number, links: readonly LinkSpec[], bytes: number): { d: number[][]; next: number[][] } {
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  const next = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? j : -1)));
  links.forEach((l) => {
    const c = l.delay + (bytes * 8) / l.bandwidth;
    if (c < d[l.a][l.b]) {
      d[l.a][l.b] = d[l.b][l.a] = c;
      next[l.a][l.b] = l.b;
      next[l.b][l.a] = l.a;
    }
  });
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (d[i][k] + d[k][j] < d[i][j]) {
          d[i][j] = d[i][k] + d[k][j];
          next[i][j] = next[i][k];
        }
      }
    }
  }
  return { d, next };
}

describe('topology: routes with memory linear in the nodes', () => {
  it.each([
    ['searches that stop at the source', { keepTreeAfter: Infinity, pausedLabels: 0 }],
    ['whole trees kept per destination', { keepTreeAfter: 0, pausedLabels: 0 }],
    ['paused searches resumed per source, never a whole tree', { pausedLabels: Infinity, pausedMax: Infinity }],
    ['paused searches until the budget, then trees', { pausedLabels: 30, pausedMax: 8, keepTreeAfter: 2 }],
    ['the default', {}],
  ])('on random small topologies, every route, latency and nearest node equals the brute-force optimum: %s', (_, keep) => {
    // Continuous random costs make every shortest path unique, so paths are compared exactly.
    const rnd = lcg(2024);
    for (let g = 0; g < 12; g++) {
      const n = 6 + Math.floor(rnd() * 20);
      const links = randomLinks(n, Math.floor(rnd() * n), rnd);
      const bytes = [100, 1e5][g % 2];
      const topo = new Topology(n, links, keep);
      // Asked through routeLinks (no Route made) from a topology of its own, so its searches run in another order.
      const walked = new Topology(n, links, keep);
      const table = new RouteTable(new Topology(n, links, keep));
      const out: number[] = [];
      const { d, next } = floydWarshall(n, links, bytes);
      for (let from = 0; from < n; from++) {
        for (let to = 0; to < n; to++) {
          expect(topo.latency(from, to, bytes)).toBeCloseTo(d[from][to], 12);
          const route = topo.route(from, to, bytes)!;
          const nodes = [from];
          for (let v = from; v !== to; v = next[v][to]) nodes.push(next[v][to]);
          expect(route.nodes, `graph ${g}: ${from} → ${to}`).toEqual(nodes);
          expect(route.links).toHaveLength(nodes.length - 1);
          route.links.forEach((dl, h) => {
            const l = links[dl >> 1];
            expect([(dl & 1) === 0 ? l.a : l.b, (dl & 1) === 0 ? l.b : l.a]).toEqual([nodes[h], nodes[h + 1]]);
          });
          expect(walked.routeLinks(to, from, bytes, out)).toBe(true);
          expect(walked.routeLinks(from, to, bytes, out)).toBe(true);
          expect(out, `graph ${g}: ${from} → ${to} by routeLinks`).toEqual(route.links);
          // The route table interns the same links, once per (from, to, payload).
          const r = table.id(from, to, bytes);
          expect(Array.from({ length: table.length(r) }, (_, h) => table.link(r, h))).toEqual(route.links);
          expect(table.id(from, to, bytes)).toBe(r);
          expect(table.id(from, to, bytes + 1), 'another payload is another route').not.toBe(r);
        }
      }
      // Nearest of a random set: the least latency, ties to the first listed.
      const set = Array.from({ length: 3 }, () => Math.floor(rnd() * n));
      for (let from = 0; from < n; from++) {
        let best = set[0];
        for (const k of set) if (d[from][k] < d[from][best]) best = k;
        expect(topo.nearest(from, set, bytes), `graph ${g}: nearest of ${set} from ${from}`).toBe(best);
      }
    }
  });

  it('reports unreachable nodes and nearest −1 across components', () => {
    const l = (a: number, b: number): LinkSpec => ({ a, b, bandwidth: 1e6, delay: 0.01, txEnergyPerBit: 0, rxEnergyPerBit: 0 });
    const topo = new Topology(5, [l(0, 1), l(1, 2), l(3, 4)]);
    expect(topo.connected(0, 2)).toBe(true);
    expect(topo.connected(0, 3)).toBe(false);
    expect(topo.route(0, 4, 10)).toBeUndefined();
    expect(topo.routeLinks(0, 4, 10, [7])).toBe(false);
    expect(new RouteTable(topo).id(0, 4, 10)).toBe(-1);
    expect(topo.latency(4, 0, 10)).toBe(Infinity);
    expect(topo.nearest(0, [3, 4], 10)).toBe(-1);
    expect(topo.nearest(4, [2, 3], 10)).toBe(3);
    // Equal latencies: the node listed first wins, whatever its index.
    expect(topo.nearest(1, [2, 0], 10)).toBe(2);
  });

  /**
   * scale.yaml's shape in small: a cloud (node 0), `edges` edge servers behind it (20 ms), an access
   * point per edge server (1 ms) and `leaves` devices per access point (2 ms), every link alike, so
   * the access points tie on their way to the cloud. Returns the links and, for leaf j of access
   * point k, its node.
   */
  function edgeCloud(edges: number, leaves: number): { links: LinkSpec[]; nodes: number; leaf: (k: number, j: number) => number } {
    const link = (a: number, b: number, delay: number): LinkSpec => ({ a, b, bandwidth: 1e9, delay, txEnergyPerBit: 0, rxEnergyPerBit: 0 });
    const links: LinkSpec[] = [];
    const leaf = (k: number, j: number) => 1 + 2 * edges + k * leaves + j;
    for (let k = 0; k < edges; k++) {
      links.push(link(1 + k, 0, 0.02), link(1 + edges + k, 1 + k, 0.001));
      for (let j = 0; j < leaves; j++) links.push(link(leaf(k, j), 1 + edges + k, 0.002));
    }
    return { links, nodes: 1 + 2 * edges + edges * leaves, leaf };
  }

  /** The directed link from a to b of `links` (2i: l.a → l.b, 2i + 1 back). */
  const directed = (links: readonly LinkSpec[], a: number, b: number): number => {
    const i = links.findIndex((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
    return 2 * i + (links[i].a === a ? 0 : 1);
  };

  it("pauses a destination's search at the source before relaxing the source's links: an edge server's search asked from its access point labels 2 nodes, not the devices behind it", () => {
    const { links, nodes, leaf } = edgeCloud(4, 50);
    const topo = new Topology(nodes, links);
    const out: number[] = [];
    for (let k = 0; k < 4; k++) {
      expect(topo.routeLinks(leaf(k, 7), 1 + k, 20e3, out)).toBe(true);
      expect(out).toEqual([directed(links, leaf(k, 7), 5 + k), directed(links, 5 + k, 1 + k)]);
    }
    // Each edge server's search (its root labelled when made) settles it and labels its access point and
    // the cloud, then settles the access point and pauses (relaxing it would label its 50 devices: 4 × 52 = 208).
    expect(topo.pausedLabelled).toBe(4 * 2);
    // Resumed for the cloud, the search first relaxes the access point it paused at: the same routes as before.
    for (let k = 0; k < 4; k++) {
      expect(topo.routeLinks(0, 1 + k, 20e3, out)).toBe(true);
      expect(out).toEqual([directed(links, 0, 1 + k)]);
      expect(topo.routeLinks(leaf(k, 9), 1 + k, 20e3, out)).toBe(true);
      expect(out).toEqual([directed(links, leaf(k, 9), 5 + k), directed(links, 5 + k, 1 + k)]);
    }
  });

  it("stops a paused search once it passes its size (nodes / 16), whichever access point asks: the cloud's search does not label every device first", () => {
    const edges = 20;
    const { links, nodes, leaf } = edgeCloud(edges, 20); // 441 nodes: searches pause up to 441 / 16 ≈ 27.6 labels
    const out: number[] = [];
    let most = 0;
    for (let k = 0; k < edges; k++) {
      const topo = new Topology(nodes, links);
      expect(topo.routeLinks(leaf(k, 3), 0, 20e3, out)).toBe(true);
      const ap = 1 + edges + k;
      expect(out).toEqual([directed(links, leaf(k, 3), ap), directed(links, ap, 1 + k), directed(links, 1 + k, 0)]);
      most = Math.max(most, topo.pausedLabelled);
    }
    // At most the size plus one node's links (the cloud's 20) before the search is dropped for the whole
    // tree; searching on until the access point asking was settled labelled up to ≈ 20 × 21 + 21 = 441.
    expect(most).toBeLessThanOrEqual(441 / 16 + 21);
  });

  it('answers the same once a much-asked destination keeps its whole tree', () => {
    // A star of 40 leaves around node 0 plus a chain: more than 40 / 16 queries to node 0 keep its tree.
    const leaves: LinkSpec[] = Array.from({ length: 40 }, (_, i) => ({ a: 0, b: i + 1, bandwidth: 1e6 * (i + 1), delay: 0.001 * (i % 7), txEnergyPerBit: 0, rxEnergyPerBit: 0 }));
    const topo = new Topology(41, leaves);
    const fresh = new Topology(41, leaves, { keepTreeAfter: Infinity, pausedLabels: 0 });
    const before = Array.from({ length: 41 }, (_, v) => fresh.route(v, 0, 500)?.links.join(','));
    for (let round = 0; round < 3; round++) {
      for (let v = 0; v < 41; v++) expect(topo.route(v, 0, 500)?.links.join(',')).toBe(before[v]);
    }
  });
});

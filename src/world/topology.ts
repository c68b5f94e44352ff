import type { LinkSpec } from './link.ts';

/** A route: the directed links crossed in order, and the nodes visited (source first). */
export interface Route {
  readonly links: readonly number[];
  readonly nodes: readonly number[];
  /** Unloaded latency of the route for the payload it was computed for, s. */
  readonly latency: number;
}

/** Shortest-path tree towards one root: distance and next hop of every node. */
interface Tree {
  readonly dist: Float64Array;
  /** Directed link to take from a node towards the root, −1 at the root or when unreachable. */
  readonly nextLink: Int32Array;
  readonly nextNode: Int32Array;
}

/**
 * The network graph with least-latency routing. A link costs its propagation delay plus
 * the payload's transmission time; costs are symmetric, so one Dijkstra from a
 * destination gives every source's route to it (cached per destination and payload).
 */
export class Topology {
  private readonly adjacency: { to: number; link: number }[][];
  private readonly trees = new Map<string, Tree>();

  constructor(
    readonly nodeCount: number,
    readonly links: readonly LinkSpec[],
  ) {
    this.adjacency = Array.from({ length: nodeCount }, () => []);
    links.forEach((l, i) => {
      this.adjacency[l.a].push({ to: l.b, link: i });
      this.adjacency[l.b].push({ to: l.a, link: i });
    });
  }

  /** Least-latency route from `from` to `to` for a payload of `bytes`; undefined when unreachable. */
  route(from: number, to: number, bytes: number): Route | undefined {
    const tree = this.tree(to, bytes);
    if (!Number.isFinite(tree.dist[from])) return undefined;
    const links: number[] = [];
    const nodes: number[] = [from];
    for (let v = from; v !== to; v = tree.nextNode[v]) {
      links.push(tree.nextLink[v]);
      nodes.push(tree.nextNode[v]);
    }
    return { links, nodes, latency: tree.dist[from] };
  }

  /** Unloaded latency from `from` to `to` for a payload (Infinity when unreachable). */
  latency(from: number, to: number, bytes: number): number {
    return this.tree(to, bytes).dist[from];
  }

  private tree(root: number, bytes: number): Tree {
    const key = `${root}/${bytes}`;
    let t = this.trees.get(key);
    if (!t) {
      t = this.dijkstra(root, bytes);
      this.trees.set(key, t);
    }
    return t;
  }

  private dijkstra(root: number, bytes: number): Tree {
    const n = this.nodeCount;
    const dist = new Float64Array(n).fill(Infinity);
    const nextLink = new Int32Array(n).fill(-1);
    const nextNode = new Int32Array(n).fill(-1);
    dist[root] = 0;
    // Binary heap of (distance, node) with lazy deletion.
    const heapD: number[] = [0];
    const heapN: number[] = [root];
    const push = (d: number, v: number): void => {
      let i = heapD.length;
      heapD.push(d);
      heapN.push(v);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapD[p] <= d) break;
        heapD[i] = heapD[p];
        heapN[i] = heapN[p];
        i = p;
      }
      heapD[i] = d;
      heapN[i] = v;
    };
    const pop = (): number => {
      const top = heapN[0];
      const d = heapD.pop()!;
      const v = heapN.pop()!;
      const m = heapD.length;
      if (m > 0) {
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= m) break;
          if (c + 1 < m && heapD[c + 1] < heapD[c]) c++;
          if (heapD[c] >= d) break;
          heapD[i] = heapD[c];
          heapN[i] = heapN[c];
          i = c;
        }
        heapD[i] = d;
        heapN[i] = v;
      }
      return top;
    };
    const done = new Uint8Array(n);
    while (heapN.length > 0) {
      const u = pop();
      if (done[u]) continue;
      done[u] = 1;
      for (const e of this.adjacency[u]) {
        const l = this.links[e.link];
        const d = dist[u] + l.delay + (bytes * 8) / l.bandwidth;
        if (d < dist[e.to]) {
          dist[e.to] = d;
          nextNode[e.to] = u;
          // Travelling from e.to towards u: direction a→b is 2i, b→a is 2i+1.
          nextLink[e.to] = 2 * e.link + (l.a === e.to ? 0 : 1);
          push(d, e.to);
        }
      }
    }
    return { dist, nextLink, nextNode };
  }
}

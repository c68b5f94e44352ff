import type { Distribution } from '../core/distributions.ts';
import { nomadicMobility } from '../policies/mobility/nomadic.ts';
import { RandomWaypoint } from '../policies/mobility/random-waypoint.ts';
import type { LinkSpec } from '../world/link.ts';
import type { FollowSpec, MobilityModel, MobilitySpec } from '../world/mobility.ts';
import type { NodeSpec } from '../world/node.ts';
import { sharedTopology } from '../world/topology.ts';
import type { WorkloadSpec } from '../world/workload.ts';
import { formatPath } from './errors.ts';
import type { ScenarioDistribution, ScenarioMobility } from './schema.ts';

/** What the mobility section is built against (from scenario/build.ts). */
export interface MobilityContext {
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly workloads: readonly WorkloadSpec[];
  /** The nodes a name or pattern matches (a problem at `path` when none). */
  readonly match: (pattern: string, path: PropertyKey[]) => number[];
  /** A scenario distribution as a core one (its problems at `path`). */
  readonly distribution: (d: ScenarioDistribution, path: PropertyKey[]) => Distribution;
  /** Per workload instance, when its candidate depends on where its device is attached (nearest placement). */
  readonly followOf: (i: number) => FollowSpec | undefined;
  /** Per workload instance, the nodes it may compute on (its placement's candidates). */
  readonly candidates: (i: number) => ArrayLike<number>;
  /** Reports a problem at a path of the scenario (it throws). */
  readonly problem: (path: PropertyKey[], message: string) => never;
  /** Warns at a path of the scenario (the build goes on); `idle`: the setting changes nothing in the run (scenario/idle-settings.ts). */
  readonly warn?: (path: PropertyKey[], message: string, idle?: boolean) => void;
  /** The run's length, s. */
  readonly duration: number;
}

/**
 * The world's {@link MobilitySpec} from the scenario's `mobility:` section: the places' access
 * points, the moving devices and each one's access link (its one link, which must go to one of
 * the places' access points), and the model (policies/mobility). Every problem names its path.
 */
export function mobilityOf(m: ScenarioMobility | undefined, ctx: MobilityContext): MobilitySpec | undefined {
  if (m === undefined) return undefined;
  const { nodes, links, problem } = ctx;
  const at = (...p: PropertyKey[]) => ['mobility', ...p];
  const list = (x: string | readonly string[]) => (typeof x === 'string' ? [x] : x);

  // The places, in the order written (patterns expanded in node order).
  const places: number[] = [];
  const placeType: number[] = [];
  const placeAt = new Map<number, PropertyKey[]>();
  const addPlace = (ap: number, type: number, path: PropertyKey[]) => {
    if (placeAt.has(ap)) problem(path, `expected each access point in one place, but ${nodes[ap].name} is already a place (${formatPath(placeAt.get(ap)!)})`);
    if (nodes[ap].kind === 'device') problem(path, `expected an access point (a gateway, edge or cloud node), got device ${nodes[ap].name}`);
    placeAt.set(ap, path);
    places.push(ap);
    placeType.push(type);
  };
  let model: (devices: number) => MobilityModel;
  if (m.model === 'nomadic') {
    const typeIndex = new Map<string, number>();
    m.placeTypes.forEach((t, i) => {
      if (typeIndex.has(t.name)) problem(at('placeTypes', i, 'name'), `expected unique place type names, but "${t.name}" is used twice`);
      typeIndex.set(t.name, i);
    });
    const dwell = m.placeTypes.map((t, i) => {
      const d = ctx.distribution(t.dwell, at('placeTypes', i, 'dwell'));
      if (!(d.mean > 0)) problem(at('placeTypes', i, 'dwell'), `expected a dwell time with a positive mean, got mean ${d.mean} s`);
      return d;
    });
    m.places.forEach((p, i) => {
      const type = typeIndex.get(p.type);
      if (type === undefined) problem(at('places', i, 'type'), `unknown place type "${p.type}"; expected one of ${[...typeIndex.keys()].join(', ')}`);
      list(p.accessPoint).forEach((pattern, j) => {
        const path = typeof p.accessPoint === 'string' ? at('places', i, 'accessPoint') : at('places', i, 'accessPoint', j);
        for (const ap of ctx.match(pattern, path)) addPlace(ap, type!, path);
      });
    });
    // Weights that only next: by-attractiveness reads (1, the default, is taken as not written).
    if (m.next !== 'by-attractiveness') {
      m.placeTypes.forEach((t, i) => {
        if (t.attractiveness !== 1) ctx.warn?.(at('placeTypes', i, 'attractiveness'), `only next: by-attractiveness reads a place type's attractiveness, and next is ${m.next}: this ${t.attractiveness} changes nothing`, true);
      });
    }
    const options = {
      placeType: Int32Array.from(placeType),
      dwell,
      attractiveness: Float64Array.from(m.placeTypes, (t) => t.attractiveness),
      next: m.next,
      start: m.start,
    };
    model = () => nomadicMobility(options);
  } else {
    if (m.speed.max < m.speed.min) problem(at('speed', 'max'), `expected max ≥ min (${m.speed.min} m/s), got ${m.speed.max} m/s`);
    const xy: number[] = [];
    m.accessPoints.forEach((a, i) => {
      const path = at('accessPoints', i, 'node');
      const found = ctx.match(a.node, path);
      if (found.length !== 1) problem(path, `expected one node, but "${a.node}" matches ${found.length}`);
      const [x, y] = a.at;
      if (x < 0 || x > m.area.width || y < 0 || y > m.area.height) problem(at('accessPoints', i, 'at'), `expected a position inside the area (0…${m.area.width} × 0…${m.area.height} m), got [${x}, ${y}]`);
      addPlace(found[0], 0, path);
      xy.push(x, y);
    });
    const pause = ctx.distribution(m.pause, at('pause'));
    if (m.update > ctx.duration) ctx.warn?.(at('update'), `the first attachment check comes at ${m.update} s, after the run's end (${ctx.duration} s): no device changes access point (0 moves); expected an update no longer than the run (default 1 s)`, true);
    model = (devices) =>
      new RandomWaypoint({ width: m.area.width, height: m.area.height, speedMin: m.speed.min, speedMax: m.speed.max, pause, update: m.update, range: m.range, at: Float64Array.from(xy), devices });
  }

  if (places.length === 1) {
    ctx.warn?.(at(m.model === 'nomadic' ? 'places' : 'accessPoints'), `there is one place (${nodes[places[0]].name}): a device has nowhere else to go, so none moves (0 moves); expected two places or more`, true);
  }

  // Each node's links (the moving devices must have exactly one, to a place).
  const linksOf = new Map<number, number[]>();
  links.forEach((l, i) => {
    for (const k of [l.a, l.b]) {
      let a = linksOf.get(k);
      if (!a) linksOf.set(k, (a = []));
      a.push(i);
    }
  });
  const other = (i: number, k: number) => (links[i].a === k ? links[i].b : links[i].a);
  const devices: number[] = [];
  if (m.devices === undefined) {
    const stayed: string[] = [];
    nodes.forEach((n, k) => {
      const own = linksOf.get(k);
      if (n.kind === 'device' && own?.length === 1 && placeAt.has(other(own[0], k))) devices.push(k);
      // A device linked to a place and to more besides cannot move (its access link would be ambiguous): said, not left in silence (helper-84).
      else if (n.kind === 'device' && (own?.length ?? 0) > 1 && own!.some((l) => placeAt.has(other(l, k)))) stayed.push(n.name);
    });
    if (stayed.length > 0) {
      ctx.warn?.(at(), `${stayed.length === 1 ? `device ${stayed[0]} has` : `devices ${stayed.slice(0, 3).join(', ')}${stayed.length > 3 ? ` and ${stayed.length - 3} more` : ''} have`} a link to a place's access point and others besides, so ${stayed.length === 1 ? 'it does' : 'they do'} not move (a moving device has one link, its radio); give ${stayed.length === 1 ? 'it' : 'them'} one link, or name the devices that move in devices:`);
    }
    if (devices.length === 0) problem(at(), 'expected devices to move: no device has its one link to an access point of the places (name them with `devices:`)');
  } else {
    const seen = new Set<number>();
    list(m.devices).forEach((pattern, j) => {
      const path = typeof m.devices === 'string' ? at('devices') : at('devices', j);
      for (const k of ctx.match(pattern, path)) {
        if (seen.has(k)) continue;
        seen.add(k);
        const own = linksOf.get(k) ?? [];
        if (nodes[k].kind !== 'device') problem(path, `expected devices, but ${nodes[k].name} is a ${nodes[k].kind}`);
        if (own.length !== 1) problem(path, `expected each moving device to have exactly one link (its radio to a place's access point), but ${nodes[k].name} has ${own.length}`);
        if (!placeAt.has(other(own[0], k))) problem(path, `expected ${nodes[k].name}'s link to go to one of the places' access points, but it goes to ${nodes[other(own[0], k)].name}`);
        devices.push(k);
      }
    });
  }
  const follow = ctx.workloads.map((_, i) => ctx.followOf(i));
  checkReach(ctx, devices, places, follow, at);
  return {
    model: model(devices.length),
    devices: Int32Array.from(devices),
    accessLinks: Int32Array.from(devices, (k) => linksOf.get(k)![0]),
    places: Int32Array.from(places),
    inFlight: m.inFlight,
    follow: follow.some((f) => f !== undefined) ? follow : undefined,
  };
}

/**
 * Every place's access point must reach what its moving devices' requests go to: each candidate
 * other than the device itself (one that follows the device, its `nearest` among nodes: one of
 * those). A device attached there would otherwise have no route, which the run met as an internal
 * error at the first request (helper-84). A problem at the place's access point. O(places ×
 * moving instances × candidates) connectivity lookups.
 */
function checkReach(ctx: MobilityContext, devices: readonly number[], places: readonly number[], follow: readonly (FollowSpec | undefined)[], at: (...p: PropertyKey[]) => PropertyKey[]): void {
  const { nodes, links, workloads, problem } = ctx;
  const topology = sharedTopology(nodes.length, links);
  const moving = new Set(devices);
  places.forEach((ap, j) => {
    workloads.forEach((w, i) => {
      if (!moving.has(w.device)) return;
      const f = follow[i];
      if (f !== undefined) {
        if (!f.among.some((k) => k === ap || topology.connected(ap, k))) {
          problem(at('places', j, 'accessPoint'), `expected every place to reach the nodes its moving devices' requests may go to, but ${nodes[ap].name} reaches none of ${f.among.map((k) => nodes[k].name).join(', ')} (workload ${w.name} of ${nodes[w.device].name}, placed on the nearest of them): add a link`);
        }
        return;
      }
      const c = ctx.candidates(i);
      for (let o = 0; o < c.length; o++) {
        const k = c[o];
        if (k === w.device || k === ap || topology.connected(ap, k)) continue;
        problem(at('places', j, 'accessPoint'), `expected every place to reach the nodes its moving devices' requests may go to, but ${nodes[ap].name} has no route to ${nodes[k].name} (workload ${w.name} of ${nodes[w.device].name}): add a link`);
      }
    });
  });
}

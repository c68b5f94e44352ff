import type { PlacementView } from '../placement/placement.ts';
import type { OffloadingDemand, PairFigures } from './demand.ts';
import { OWN_DEVICE } from './formulation.ts';

/** One workload instance as the planner registered it (at build, through the policy's `candidates`). */
export interface RegisteredInstance {
  readonly demand: OffloadingDemand;
  readonly device: number;
  /** The instance's figures for the device's place as of the last solve (mobility: computed again after a move). */
  figures: PairFigures;
  readonly inputBytes: number;
  /** What the figures' routes are computed over: the topology the instance was placed in. */
  readonly view: PlacementView;
  /** The access point the figures were computed for (−1: the links as declared). */
  attachedAt: number;
}

/** Instances grouped into classes of alike ones, and the role of each of an instance's candidates. */
export interface StaticClasses {
  /** Class of each instance. */
  readonly classOf: Int32Array;
  readonly count: number;
  /** Per instance, per candidate: {@link OWN_DEVICE} for its own device when that device's capacity is the instance's alone, else the node. */
  readonly roles: readonly Int32Array[];
}

/**
 * Groups instances into classes: two instances are alike when they belong to the same workload,
 * their candidates play the same roles (the same shared nodes in the same order, their own
 * device in the same place) and every fixed figure of every pair is equal (routes of equal
 * latency and radio cost, own devices of equal speed and power). An instance's own device is an
 * {@link OWN_DEVICE} role — a capacity of its own, so alike instances on different devices still
 * share a class — when no other instance of the program runs on that device and the device is
 * nobody else's candidate; otherwise it is a shared node like any other. A thousand cameras of
 * one model behind one gateway make one class, so a re-solve does not grow with their number.
 * Cost O(Σ candidates) with one string key per instance.
 *
 * An instance whose figures change (a moving device's) is put in its new class by
 * {@link reclassify}: its roles stay (its device and candidates are the same), its key is made
 * again and it joins the class of that key, a new one if none has it — O(its candidates), the
 * other instances untouched. A class left without members is never named again (the solve groups
 * the instances that exist).
 */
export class ClassIndex implements StaticClasses {
  readonly classOf: Int32Array;
  readonly roles: readonly Int32Array[];
  private readonly demandId = new Map<OffloadingDemand, number>();
  private readonly classId = new Map<string, number>();

  constructor(private readonly instances: readonly RegisteredInstance[]) {
    const hosted = new Map<number, number>();
    const remote = new Set<number>();
    for (const x of instances) {
      hosted.set(x.device, (hosted.get(x.device) ?? 0) + 1);
      for (const k of x.figures.nodes) if (k !== x.device) remote.add(k);
    }
    this.classOf = new Int32Array(instances.length);
    this.roles = instances.map((x) => {
      const own = hosted.get(x.device) === 1 && !remote.has(x.device);
      return Int32Array.from(x.figures.nodes, (k) => (own && k === x.device ? OWN_DEVICE : k));
    });
    for (let i = 0; i < instances.length; i++) this.reclassify(i);
  }

  get count(): number {
    return this.classId.size;
  }

  /** Puts instance i in the class of its figures as they are now. */
  reclassify(i: number): void {
    const x = this.instances[i];
    const f = x.figures;
    let d = this.demandId.get(x.demand);
    if (d === undefined) this.demandId.set(x.demand, (d = this.demandId.size));
    const key = [d, this.roles[i].join(','), f.transfer.join(','), f.compute.join(','), f.deviceEnergy.join(','), f.load.join(','), f.exposure.join(','), f.trusted.join('')].join('|');
    let c = this.classId.get(key);
    if (c === undefined) this.classId.set(key, (c = this.classId.size));
    this.classOf[i] = c;
  }
}

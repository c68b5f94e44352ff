/**
 * The event kinds of the world: one discriminated union of small integers, one handler each
 * (registered by {@link World}). The subject of an event is an index whose meaning the kind
 * gives.
 */
export const EventKind = {
  /** subject = workload instance: a request is born on its device. */
  Arrival: 0,
  /** subject = request: its payload starts its transmission on the link it waited for. */
  LinkStart: 1,
  /** subject = request: the request reached the far end of the link it was on. */
  HopDone: 2,
  /** subject = job: an FCFS job finished (cancellable: a node going down cancels it). */
  FcfsDone: 3,
  /** subject = node: the earliest job of a processor-sharing node finishes (cancellable). */
  SharingDone: 4,
  /** subject = tenant queue: the job in service of a partitioned node's tenant finishes (cancellable). */
  TenantDone: 5,
  /** subject = node: the node fails. */
  NodeFail: 6,
  /** subject = node: the node is repaired. */
  NodeRepair: 7,
  /** subject = node: the node's battery is empty by now at its present power (cancellable). */
  BatteryCheck: 8,
  /** subject unused: the warm-up period ends, statistics restart. */
  WarmupEnd: 9,
  /** subject = callback slot: a step of a process such as a federated-learning round. */
  Callback: 10,
  /** subject unused: the monitoring interval ends; re-planning policies get the world view. */
  PolicyTick: 11,
  /** subject = batch: a batch of a batching node finishes (cancellable on a node that may go down). */
  BatchDone: 12,
  /** subject = batching queue (node, tenant): its oldest request may have waited the maximum queue delay. */
  BatchTimer: 13,
  /** subject = request: its result-cache lookup at a node (a Lookup stage) is done. */
  LookupDone: 14,
  /** subject = moving device (its index among the moving devices): its mobility event (a move, or an attachment check). */
  Move: 15,
} as const;

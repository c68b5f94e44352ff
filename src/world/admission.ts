/**
 * Admission control at a node beyond its queue limit and memory: the decision point that may
 * refuse a request when it reaches the node that would compute it. The world asks {@link admit}
 * once per request at the start of its compute (after the queue limit and before memory is
 * reserved) and tells {@link release} when that job leaves the node — computed, or lost with the
 * node — so a policy keeps its own per-node books. A refusal drops the request as `vm-capacity`.
 * Policies live in `policies/admission/`.
 */
export interface AdmissionControl {
  readonly name: string;
  /** Whether node k takes request r of workload instance i now; when it does, the policy books it. O(1) expected. */
  admit(k: number, r: number, i: number): boolean;
  /** Whether the policy may refuse requests at node k (a node it does not govern takes everything). */
  governs(k: number): boolean;
  /** Job r, admitted at node k, left it (done or lost). A job the policy did not book is ignored. */
  release(k: number, r: number): void;
  /** A run begins: nothing is booked (a spec run again starts as the first time). */
  start(): void;
}

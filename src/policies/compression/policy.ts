import type { DnnModel } from '../../world/model.ts';
import { estimateAccuracy, type AccuracyEstimate } from './accuracy.ts';
import type { AccuracyProfile } from './accuracy-profile.ts';
import { deploy, type Deployment } from './deployment.ts';
import type { ExecutionTarget } from './execution.ts';
import type { CompressionVariant } from './variant.ts';

/** What the compression decision is made for: one model on one device under one deadline. */
export interface CompressionRequest {
  readonly model: DnnModel;
  readonly target: ExecutionTarget;
  /** Latency objective of one request's compute on the target, s (Infinity: none). */
  readonly deadline: number;
  /** Bytes of one request's input, held at the node with its activations while it computes (memory: weights + activations + input; default 0). */
  readonly inputBytes?: number;
  /** The variants to choose among (non-empty). */
  readonly candidates: readonly CompressionVariant[];
  /** The model's accuracy profile; absent = every accuracy unknown. */
  readonly accuracy?: AccuracyProfile;
}

/** A variant assessed on a request's target. */
export interface Assessment {
  readonly variant: CompressionVariant;
  /** Undefined when the target computes in no precision the variant can use. */
  readonly deployment: Deployment | undefined;
  readonly accuracy: AccuracyEstimate;
  /** Runs on the target, fits its memory and meets the deadline. */
  readonly feasible: boolean;
}

/** A policy's choice for a request, with why. */
export interface CompressionDecision extends Assessment {
  readonly policy: string;
  readonly reason: string;
}

/**
 * The compression decision point: which variant of a model each device runs. Decided when the
 * world is built (per device and workload), since a variant is a model file shipped to it.
 */
export interface CompressionPolicy {
  readonly name: string;
  decide(request: CompressionRequest): CompressionDecision;
}

const UNPROFILED: AccuracyEstimate = { top1: undefined, change: undefined, basis: 'unknown', sources: [], warnings: ['no accuracy profile for this model: top-1 unknown'] };

/** A variant on the request's target: its deployment (`deployment.ts`), accuracy (`accuracy.ts`) and feasibility. Cost O(layers + points²). */
export function assess(request: CompressionRequest, variant: CompressionVariant): Assessment {
  const deployment = deploy(request.model, variant, request.target, request.deadline, request.inputBytes);
  const accuracy = request.accuracy ? estimateAccuracy(request.accuracy, variant) : UNPROFILED;
  return { variant, deployment, accuracy, feasible: deployment !== undefined && deployment.fitsMemory && deployment.meetsDeadline };
}

/** Throws when a request has no candidates: every policy needs one to choose. */
export function checkCandidates(request: CompressionRequest): void {
  if (request.candidates.length === 0) throw new Error(`no compression candidates for ${request.model.name} on ${request.target.name}`);
}

import { compressModel } from './model-size.ts';
import { assess, checkCandidates, type CompressionPolicy } from './policy.ts';

/**
 * Baseline `max`: maximum compression — the candidate with the smallest stored size
 * (`model-size.ts`), ties to the first listed, whatever its accuracy or latency. Cost
 * O(candidates × layers).
 */
export const maxCompression: CompressionPolicy = {
  name: 'max',
  decide(request) {
    checkCandidates(request);
    let smallest = request.candidates[0];
    let bytes = compressModel(request.model, smallest).bytes;
    for (const v of request.candidates.slice(1)) {
      const b = compressModel(request.model, v).bytes;
      if (b < bytes) {
        smallest = v;
        bytes = b;
      }
    }
    return { ...assess(request, smallest), policy: 'max', reason: `smallest stored size among ${request.candidates.length} candidates` };
  },
};

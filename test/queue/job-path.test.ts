import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobScenarioPath, runJob } from '../../src/sweep/queue/submit.ts';

describe('the scenario file a job names', () => {
  const project = resolve('/home/a/edelear');

  it('is relative to the submitting folder when inside it, so a worker in another checkout finds it', () => {
    expect(jobScenarioPath('scenarios/default.yaml', project)).toBe('scenarios/default.yaml');
    expect(jobScenarioPath(join(project, 'scenarios', 'x.yaml'), project)).toBe('scenarios/x.yaml');
    expect(jobScenarioPath('./scenarios/../scenarios/y.yaml', project)).toBe('scenarios/y.yaml');
    expect(jobScenarioPath('..odd/z.yaml', project)).toBe('..odd/z.yaml'); // a folder named "..odd" is inside
  });

  it('is absolute when outside it', () => {
    expect(jobScenarioPath('../other/s.yaml', project)).toBe(resolve('/home/a/other/s.yaml'));
    expect(jobScenarioPath('/tmp/s.yaml', project)).toBe(resolve('/tmp/s.yaml'));
  });
});

describe("a job's base warnings", () => {
  it('name the scenario file as the job does, so the worker tells them from its run’s own (they came back as every run’s own)', () => {
    const absolute = join(process.cwd(), 'scenarios', 'default.yaml');
    const task = { id: '0123456789abcdef', seed: 1, overrides: [], scenarioJson: '{}' };
    const job = runJob(task, { strict: false, baseWarnings: [`${absolute}:19: links[0].bandwidth: 54 is 54 bit/s`, 'link a→b is offered more than its bandwidth'] }, absolute);
    expect(job.scenarioFile).toBe('scenarios/default.yaml');
    expect(job.baseWarnings).toEqual(['scenarios/default.yaml:19: links[0].bandwidth: 54 is 54 bit/s', 'link a→b is offered more than its bandwidth']);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../../src/scenario/errors.ts';
import { projectFolder } from '../../src/sweep/queue/project.ts';
import { describe, expect, it } from 'vitest';
import { jobScenarioPath, runJob } from '../../src/sweep/queue/submit.ts';

describe('the scenario file a job names', () => {
  const project = resolve('/home/a/edelear');

  it('is relative to the project folder, so a worker in another checkout finds it', () => {
    expect(jobScenarioPath('scenarios/default.yaml', project, project)).toBe('scenarios/default.yaml');
    expect(jobScenarioPath(join(project, 'scenarios', 'x.yaml'), project, project)).toBe('scenarios/x.yaml');
    expect(jobScenarioPath('./scenarios/../scenarios/y.yaml', project, project)).toBe('scenarios/y.yaml');
    expect(jobScenarioPath('..odd/z.yaml', project, project)).toBe('..odd/z.yaml'); // a folder named "..odd" is inside
    // Submitted from a subfolder: still relative to the project folder (helper-83: every run failed, the worker resolving it from its root).
    expect(jobScenarioPath('default.yaml', join(project, 'scenarios'), project)).toBe('scenarios/default.yaml');
  });

  it('outside the project folder is refused at submission (workers read only their checkout: every job was refused there)', () => {
    expect(() => jobScenarioPath('../other/s.yaml', project, project)).toThrow(InputError);
    expect(() => jobScenarioPath('/tmp/s.yaml', project, project)).toThrow(/expected a scenario inside the project folder .*edelear/);
  });

  it('a submission from outside any checkout is refused: no worker could serve it (helper-85)', () => {
    const away = mkdtempSync(join(tmpdir(), 'edelear-away-'));
    expect(() => jobScenarioPath('default.yaml', away)).toThrow(/expected a queued sweep submitted from a checkout of the project .*none found from/);
  });

  it("the project folder is the nearest one up that holds a package.json", () => {
    const root = mkdtempSync(join(tmpdir(), 'edelear-project-'));
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'scenarios', 'sweeps'), { recursive: true });
    expect(projectFolder(join(root, 'scenarios', 'sweeps'))).toBe(root);
    expect(projectFolder(root)).toBe(root);
    expect(projectFolder('/')).toBeUndefined();
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

describe('a worker started outside a checkout of the project', () => {
  it('refuses to start, exit 2, saying where it looked (helper-83: started in /tmp it took jobs and failed every one it could not read)', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = resolve(import.meta.dirname, '../../bin/edelear.js');
    const away = mkdtempSync(join(tmpdir(), 'edelear-no-project-'));
    const r = spawnSync(process.execPath, [bin, 'worker', '--queue', 'redis://localhost:1/0'], { cwd: away, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: edelear worker: expected to be started in a checkout of the project (a folder with package.json, or one inside it), where the jobs' scenario and data files are; none found from ${away}\n`);
  });
});

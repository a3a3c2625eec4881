import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../functions/domain/project.ts';
import {
  amendProject,
  cachedProject,
  decideOnCopies,
  forgetAllProjects,
  isCachedCopy,
  rememberProject,
} from '../../functions/store/projectCache.ts';

const projectOf = (id: string, padding = 0, version = 1) =>
  ({ id, title: 'x'.repeat(padding), version }) as unknown as Project;
const inCommand = <T>(read: () => T): Promise<T> => decideOnCopies(async () => read());

afterEach(() => forgetAllProjects());

describe('the copies of projects a command decides on', () => {
  it('are handed out only inside a command, each one a copy of its own', async () => {
    // Prepare
    rememberProject(projectOf('a'));

    // Act
    const outside = cachedProject('a');
    const [first, second] = await inCommand(() => [cachedProject('a')!, cachedProject('a')!]);
    first.title = 'changed by its caller';

    // Assess
    expect(outside).toBeUndefined();
    expect(second.title).toBe('');
    expect(isCachedCopy(first)).toBe(true);
    expect(isCachedCopy(projectOf('a'))).toBe(false);
    expect((await inCommand(() => cachedProject('a')))?.title).toBe('');
  });

  it('are copies of what was remembered, as a JSON round trip would give them', async () => {
    // Prepare
    const remembered = {
      ...projectOf('f'),
      taskToken: undefined,
      needIds: ['n1', undefined],
      tranches: [{ n: 1, amountFen: 100 }],
      closedOn: new Date('2025-10-01T02:00:00.000Z'),
    } as unknown as Project;
    rememberProject(remembered);

    // Act: the caller changes what it remembered, nested parts included
    remembered.title = 'changed after';
    remembered.tranches[0].amountFen = 1;
    const copy = await inCommand(() => cachedProject('f'));

    // Assess
    expect(copy).toEqual(
      JSON.parse(
        JSON.stringify({
          ...projectOf('f'),
          needIds: ['n1', null],
          tranches: [{ n: 1, amountFen: 100 }],
          closedOn: '2025-10-01T02:00:00.000Z',
        }),
      ),
    );
    expect(Object.keys(copy!)).not.toContain('taskToken');
  });

  it('keep 16 M characters at most, dropping the least recently used first, and no single project over 1 M', async () => {
    // Prepare: 20 projects of 0.9 M characters each, the first one used again after all were kept
    for (let i = 0; i < 20; i++) {
      rememberProject(projectOf(`p${i}`, 900_000));
      if (i === 17) await inCommand(() => cachedProject('p0'));
    }
    rememberProject(projectOf('huge', 1_100_000));

    // Act
    const kept = await inCommand(() => Array.from({ length: 20 }, (_, i) => !!cachedProject(`p${i}`)));
    const huge = await inCommand(() => cachedProject('huge'));

    // Assess: 18 fit; p1 and p2 went first, p0 stayed because it was used
    expect(kept.filter(Boolean)).toHaveLength(18);
    expect(kept.slice(0, 4)).toEqual([true, false, false, true]);
    expect(huge).toBeUndefined();
  });

  it('take a parked token in place, and only for a project that is known', async () => {
    // Prepare
    rememberProject(projectOf('b'));

    // Act
    amendProject('b', (p) => {
      p.taskToken = 'token';
    });
    amendProject('unknown', (p) => {
      p.taskToken = 'token';
    });

    // Assess
    expect((await inCommand(() => cachedProject('b')))?.taskToken).toBe('token');
    expect(await inCommand(() => cachedProject('unknown'))).toBeUndefined();
  });

  it('take a park made again over the same token, its expectation changed', async () => {
    // Prepare: a step parked with what it continues with
    rememberProject({ ...projectOf('r'), taskToken: 't', taskContinuesWith: 'IN_PUBLICITY' } as Project);

    // Act: parked again with the same token by a step that names no status
    amendProject('r', (p) => {
      delete p.taskContinuesWith;
    });

    // Assess
    const copy = await inCommand(() => cachedProject('r'));
    expect(copy?.taskToken).toBe('t');
    expect(copy?.taskContinuesWith).toBeUndefined();
  });

  it('keep the later of two versions, whichever came back last', async () => {
    // Prepare: a write's project, then a read that the store answered before that write
    rememberProject({ ...projectOf('c', 0, 6), title: 'after the write' });

    // Act
    rememberProject({ ...projectOf('c', 0, 5), title: 'read before it' });
    rememberProject({ ...projectOf('d', 0, 5), title: 'first' });
    rememberProject({ ...projectOf('d', 0, 5), title: 'same version, token parked', taskToken: 't1' });

    // Assess
    expect((await inCommand(() => cachedProject('c')))?.title).toBe('after the write');
    expect((await inCommand(() => cachedProject('d')))?.title).toBe('same version, token parked');
  });

  it('keep the copy they have of a project read again unchanged (the same version and parked token)', async () => {
    // Prepare
    rememberProject({ ...projectOf('e', 0, 3), title: 'kept', taskToken: 't' });

    // Act: the same version and token, so the same stored project (the title here only shows which copy is kept)
    rememberProject({ ...projectOf('e', 0, 3), title: 'not copied again', taskToken: 't' });

    // Assess
    expect((await inCommand(() => cachedProject('e')))?.title).toBe('kept');
  });
});

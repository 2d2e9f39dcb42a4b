import { BadJobDefinition, checkDefinition, moduleBase } from './definitions';

describe('job definitions declared by Git repositories', () => {
  it('keeps the metadata and the variables in their declared order', () => {
    const { name, metadata } = checkDefinition('jobs/a.js', {
      name: 'backup',
      label: 'Back up',
      dryrun: true,
      time_limit: 30,
      task_queues: ['default', 'bulk'],
      variables: {
        zone: { type: 'string', regex: '[a-z]+', min_length: 2, label: null },
        count: { type: 'integer', min_value: 1 },
        device: { type: 'object', model: 'dcim.device', query_params: { status: 'active' } },
        kind: { type: 'choice', choices: [['a', 'A']] },
      },
    });
    expect(name).toBe('backup');
    expect(metadata).toEqual({
      label: 'Back up',
      dryrun: true,
      time_limit: 30,
      task_queues: ['default', 'bulk'],
      variables: [
        ['zone', { type: 'string', regex: '[a-z]+', min_length: 2 }],
        ['count', { type: 'integer', min_value: 1 }],
        ['device', { type: 'object', model: 'dcim.device', query_params: { status: 'active' } }],
        ['kind', { type: 'choice', choices: [['a', 'A']] }],
      ],
    });
  });

  it.each([
    [{ name: 'has space' }, "a job's name must be an identifier"],
    [{ name: 'x', every_ms: 1000 }, 'cannot be system jobs'],
    [{ name: 'x', variables: { v: { type: 'password' } } }, 'job x.variables.v.type: must be one of'],
    [{ name: 'x', variables: { v: { type: 'string', regex: '(' } } }, 'is not a valid regular expression'],
    [{ name: 'x', variables: { v: { type: 'choice', choices: ['a'] } } }, '[value, label] pairs'],
    [{ name: 'x', variables: { v: { type: 'object', model: 'Device' } } }, 'must be a model label'],
    [{ name: 'x', task_queues: ['Bad Queue'] }, 'task_queues: must be a list of task queue names'],
    [{ name: 'x', dryrun: 'yes' }, 'dryrun: must be true or false'],
    [{ name: 'x', time_limit: 'soon' }, 'time_limit: must be a number'],
  ])('refuses %j naming what is wrong', (raw, message) => {
    expect(() => checkDefinition('jobs/a.js', raw as Record<string, unknown>)).toThrow(BadJobDefinition);
    expect(() => checkDefinition('jobs/a.js', raw as Record<string, unknown>)).toThrow(message);
  });

  it('names modules by their file name', () => {
    expect(moduleBase('jobs/nightly-backup.mjs')).toBe('nightly-backup');
    expect(() => moduleBase('jobs/odd.name.js')).toThrow('letters, digits, _ and - only');
  });
});

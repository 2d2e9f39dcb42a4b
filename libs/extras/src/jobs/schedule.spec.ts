import { ValidationError } from '@plinth/plugin-sdk';
import { nextRun, parseSchedule } from './schedule';

const start = new Date('2026-01-05T10:30:00Z');

describe('nextRun', () => {
  it('fires once-only schedules at their start, then never', () => {
    for (const interval of ['immediately', 'future'] as const) {
      expect(nextRun({ interval, start_time: start, crontab: '' }, null)).toEqual(start);
      expect(nextRun({ interval, start_time: start, crontab: '' }, start)).toBeNull();
    }
  });

  it('counts intervals from the start time, strictly after the last run', () => {
    const s = { interval: 'hourly' as const, start_time: start, crontab: '' };
    expect(nextRun(s, null)).toEqual(start);
    expect(nextRun(s, new Date('2026-01-05T10:30:00Z'))).toEqual(new Date('2026-01-05T11:30:00Z'));
    // A worker that was down for hours fires once, at the next slot, not once per missed hour.
    expect(nextRun(s, new Date('2026-01-05T15:45:00Z'))).toEqual(new Date('2026-01-05T16:30:00Z'));
    expect(nextRun({ ...s, interval: 'weekly' }, start)).toEqual(new Date('2026-01-12T10:30:00Z'));
    expect(nextRun({ ...s, interval: 'daily' }, new Date('2026-01-04T00:00:00Z'))).toEqual(start);
  });

  it('follows a crontab in UTC, not before the start time', () => {
    const s = { interval: 'custom' as const, start_time: start, crontab: '0 */6 * * 1-5' };
    expect(nextRun(s, null)).toEqual(new Date('2026-01-05T12:00:00Z'));
    expect(nextRun(s, new Date('2026-01-09T18:00:00Z'))).toEqual(new Date('2026-01-12T00:00:00Z'));
  });
});

describe('parseSchedule', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const fields = (input: unknown) => {
    try {
      parseSchedule(input, 'job', now);
      return [];
    } catch (e) {
      return Object.keys((e as ValidationError).errors);
    }
  };

  it('names the field at fault', () => {
    expect(fields('daily')).toEqual(['schedule']);
    expect(fields({ interval: 'monthly' })).toEqual(['schedule.interval']);
    expect(fields({ interval: 'future', start_time: '2025-12-31T00:00:00Z' })).toEqual([
      'schedule.start_time',
    ]);
    expect(fields({ interval: 'custom', crontab: '* * * * * *' })).toEqual(['schedule.crontab']);
    expect(fields({ interval: 'custom', crontab: '0 25 * * *' })).toEqual(['schedule.crontab']);
  });

  it('fills a name and the start time', () => {
    expect(parseSchedule({ interval: 'daily' }, 'job', now)).toEqual({
      name: 'job 2026-01-01T00:00:00.000Z',
      interval: 'daily',
      start_time: now,
      crontab: '',
    });
  });
});

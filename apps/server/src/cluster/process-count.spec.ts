import { serverProcessCount } from './process-count';

describe('serverProcessCount', () => {
  const pg = 'postgres://db/plinth';

  it('runs one process per core on PostgreSQL unless PLINTH_WORKERS says otherwise', () => {
    expect(serverProcessCount({ databaseUrl: pg, workers: null }, 4)).toEqual({ count: 4, note: null });
    expect(serverProcessCount({ databaseUrl: pg, workers: 1 }, 4)).toEqual({ count: 1, note: null });
    expect(serverProcessCount({ databaseUrl: pg, workers: 3 }, 2)).toEqual({ count: 3, note: null });
  });

  it('serves embedded PGlite from one process, and says so when more were asked for', () => {
    expect(serverProcessCount({ databaseUrl: null, workers: null }, 8)).toEqual({ count: 1, note: null });
    const asked = serverProcessCount({ databaseUrl: null, workers: 4 }, 8);
    expect(asked.count).toBe(1);
    expect(asked.note).toMatch(
      /PLINTH_WORKERS=4 ignored: the embedded PGlite database lives inside one process/,
    );
  });
});

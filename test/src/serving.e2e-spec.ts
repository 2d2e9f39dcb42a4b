import * as fs from 'node:fs';
import request from 'supertest';
import { onDatabase, testDatabaseKind, until } from '@plinth/testing';
import { installation, start } from './cli-helpers';

const TOKEN = 'c'.repeat(40);

/** The process that answered: `/api/status/` lists this process's in-process job worker. */
async function answeringPid(url: string): Promise<number> {
  const res = await request(url).get('/api/status/').set('Authorization', `Token ${TOKEN}`);
  expect(res.status).toBe(200);
  const workers = res.body.workers as { name: string }[];
  expect(workers).toHaveLength(1);
  return Number(/:(\d+)$/.exec(workers[0].name)![1]);
}

/** Pids until `n` distinct ones answered (each request a new connection, handed out round-robin). */
async function distinctPids(url: string, n: number, exclude: readonly number[] = []): Promise<Set<number>> {
  const seen = new Set<number>();
  // A process boots here (a replacement after a kill): cold starts take longer on a loaded machine.
  await until(
    `${n} server processes to answer`,
    async () => {
      const pid = await answeringPid(url);
      if (!exclude.includes(pid)) seen.add(pid);
      return seen.size >= n;
    },
    60_000,
  );
  return seen;
}

async function metrics(url: string): Promise<string> {
  const res = await request(url).get('/metrics').set('Authorization', `Token ${TOKEN}`);
  expect(res.status).toBe(200);
  return res.text;
}

function parentOf(pid: number): number {
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ")".
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(onDatabase('serving from several processes (PLINTH_WORKERS)'), () => {
  jest.setTimeout(300_000);

  const superuser = {
    PLINTH_SUPERUSER_NAME: 'admin',
    PLINTH_SUPERUSER_PASSWORD: 'serving-password',
    PLINTH_SUPERUSER_API_TOKEN: TOKEN,
  };

  if (testDatabaseKind() !== 'postgresql') {
    it('serves embedded PGlite from one process and says why', async () => {
      const { env, dispose } = await installation();
      const server = await start({ ...env, ...superuser, PLINTH_WORKERS: '2' });
      try {
        expect(server.out()).toContain(
          'PLINTH_WORKERS=2 ignored: the embedded PGlite database lives inside one process',
        );
        expect(await answeringPid(server.url)).toBe(server.pid);
        expect(await metrics(server.url)).toMatch(/^plinth_server_processes 1$/m);
      } finally {
        expect(await server.stop()).toBe(0);
        await dispose();
      }
    });
    return;
  }

  it('serves from two processes, sets up the host once, reports the whole host, replaces a dead process and stops cleanly', async () => {
    const { env, dispose } = await installation();
    const server = await start({ ...env, ...superuser, PLINTH_WORKERS: '2' });
    let stopped = false;
    try {
      expect(server.out()).toContain('(2 server processes)');
      // The first process migrated and created the user; the second only checked.
      expect(server.out().match(/Created superuser "admin"/g)).toHaveLength(1);

      const pids = [...(await distinctPids(server.url, 2))];
      for (const pid of pids) expect(parentOf(pid)).toBe(server.pid);

      // Every process's requests, whichever process answers the scrape.
      const before = await metrics(server.url);
      expect(before).toMatch(/^plinth_server_processes 2$/m);
      const statusCount = Number(
        /^plinth_http_request_duration_seconds_count\{method="GET",route="\/api\/status",status="200"\} (\d+)$/m.exec(
          before,
        )![1],
      );
      expect(statusCount).toBeGreaterThanOrEqual(2);
      // Database-wide numbers are counted once, not once per process.
      expect(before).toMatch(/^plinth_objects\{model="users.user"\} 1$/m);

      process.kill(pids[0], 'SIGKILL');
      await until('the dead process to be gone', () => Promise.resolve(!alive(pids[0])));
      const [replacement] = await distinctPids(server.url, 1, pids);
      expect(parentOf(replacement)).toBe(server.pid);
      expect(server.out()).toContain(`server process ${pids[0]} exited (signal SIGKILL); starting another`);
      await until('both processes in the metrics', async () =>
        /^plinth_server_processes 2$/m.test(await metrics(server.url)),
      );

      const serving = [pids[1], replacement];
      stopped = true;
      expect(await server.stop()).toBe(0);
      for (const pid of serving) expect(alive(pid)).toBe(false);
    } finally {
      if (!stopped) await server.stop();
      await dispose();
    }
  });
});

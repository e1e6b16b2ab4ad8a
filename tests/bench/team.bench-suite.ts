import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createLogger } from '../../electron/log/logger';
import { openChangeFeed } from '../../electron/services/team/live';
import { openPollCoordinator, watchUnclaimed } from '../../electron/services/team/poll-lease';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { median } from './measure';
import { teamPipelineFigures } from './team-pipeline';
import type { BenchFigure, BenchSuite } from './types';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const quiet = () => createLogger({ sinks: [] });

/**
 * Team mode (issue 16), on a real PostgreSQL started for the run:
 * - the pipeline and its search over 100,000 reports on PostgreSQL beside the same on SQLite;
 * - a change at one desk to the other desk's change feed (LISTEN/NOTIFY; the screen's reload after it is
 *   the pipeline query measured above);
 * - takeover: a desk polling a report is killed (SIGKILL), how long until another desk has claimed it.
 */
export const suite: BenchSuite = {
  name: 'team',
  async run() {
    const cluster = await startPostgresCluster();
    try {
      const figures: BenchFigure[] = [];
      figures.push(...(await changeLatency(cluster)));
      figures.push(...(await takeover(cluster)));
      figures.push(...(await teamPipelineFigures(cluster)));
      return figures;
    } finally {
      cluster.stop();
    }
  },
};

async function database(cluster: PostgresCluster, name: string): Promise<pg.ClientConfig> {
  const admin = new pg.Client(config(cluster, 'postgres'));
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return config(cluster, name);
}

export function config(cluster: PostgresCluster, database: string): pg.ClientConfig {
  return {
    host: cluster.host,
    port: cluster.port,
    user: cluster.superuser,
    password: cluster.password,
    database,
    ssl: { ca: cluster.caPem, rejectUnauthorized: true },
  };
}

/** Commit at desk A → the change reaches desk B's feed: 30 single-row changes, one at a time. */
async function changeLatency(cluster: PostgresCluster): Promise<BenchFigure[]> {
  const clientConfig = await database(cluster, 'bench_live');
  const writer = new pg.Client(clientConfig);
  await writer.connect();
  await writer.query(`CREATE TABLE loans (id text PRIMARY KEY, n int);
    CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      PERFORM pg_notify('assetdesk_changes', json_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP), 'id', NEW.id, 'loan_id', NEW.id)::text);
      RETURN NEW; END $$;
    CREATE TRIGGER loans_notify AFTER INSERT OR UPDATE ON loans FOR EACH ROW EXECUTE FUNCTION notify_change();`);
  const waiting = new Map<string, (at: number) => void>();
  const feed = await openChangeFeed({
    clientConfig,
    logger: quiet(),
    onState: () => undefined,
    onChange: (events) => {
      const at = performance.now();
      for (const e of events) if (e.kind === 'change') waiting.get(e.id)?.(at);
    },
  });
  const delivered: number[] = [];
  const wire: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const id = `loan-${i}`;
    const arrived = new Promise<number>((resolve) => waiting.set(id, resolve));
    const start = performance.now();
    await writer.query('INSERT INTO loans (id, n) VALUES ($1, $2)', [id, i]);
    const committed = performance.now();
    delivered.push((await arrived) - start);
    wire.push((await arrived) - committed);
  }
  await feed.close();
  await writer.end();
  return [
    {
      name: 'team: change at one desk → the other desk (commit to feed, median of 30)',
      value: median(delivered),
      unit: 'ms',
      target: 1000,
    },
    {
      name: 'team: of which the feed gathers a burst (fixed 50 ms) and the server delivers',
      value: median(wire),
      unit: 'ms',
    },
  ];
}

/** A desk (its own process) holds a report's polling and is SIGKILLed; another desk's watcher claims it. */
async function takeover(cluster: PostgresCluster): Promise<BenchFigure[]> {
  const clientConfig = await database(cluster, 'bench_lease');
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-bench-lease-'));
  const script = join(dir, 'holder.mts');
  writeFileSync(
    script,
    `import { openPollCoordinator } from ${JSON.stringify(join(REPO, 'electron/services/team/poll-lease.ts'))};
import { createLogger } from ${JSON.stringify(join(REPO, 'electron/log/logger.ts'))};
const coordinator = await openPollCoordinator({ clientConfig: JSON.parse(process.env.LEASE ?? '{}'), logger: createLogger({ sinks: [] }) });
process.stdout.write((await coordinator.tryClaim(process.env.REPORT ?? '')) ? 'claimed\\n' : 'refused\\n');
setInterval(() => undefined, 60_000);
`,
  );
  const times: number[] = [];
  try {
    for (let run = 0; run < 5; run += 1) {
      const reportId = `report-${run}`;
      const child = spawn('npx', ['tsx', script], {
        cwd: REPO,
        detached: true,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LEASE: JSON.stringify(clientConfig), REPORT: reportId },
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) =>
          chunk.toString().includes('claimed') ? resolve() : reject(new Error(chunk.toString())),
        );
        child.on('exit', (code) => reject(new Error(`the holding desk exited (${code}) before claiming`)));
      });
      const other = await openPollCoordinator({ clientConfig, logger: quiet() });
      let killedAt = 0;
      const claimed = new Promise<number>((resolve) => {
        const watch = watchUnclaimed({
          list: async () => [reportId],
          coordinator: other,
          intervalMs: 1_000,
          logger: quiet(),
          onClaimed: () => {
            void watch.stop();
            resolve(performance.now());
          },
        });
      });
      killedAt = performance.now();
      process.kill(-child.pid!, 'SIGKILL');
      times.push((await claimed) - killedAt);
      await other.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      name: 'team: polling desk killed → another desk polls the report (median of 5, 1 s watch interval)',
      value: median(times),
      unit: 'ms',
    },
  ];
}

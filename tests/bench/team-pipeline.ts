import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createValueCipher } from '../../electron/db/cipher';
import { moveLocalHistory } from '../../electron/db/move-history';
import { openTeamStore } from '../../electron/db/team-store';
import type { PostgresCluster } from '../helpers/postgres-cluster';
import { growReports, measurePipeline, seedPipeline } from './pipeline-bench';
import type { BenchFigure } from './types';

/**
 * The same pipeline (10,000 loans, 100,000 reports) on SQLite and on PostgreSQL: seeded locally through the
 * repositories, moved into a fresh team database with the app's own move (which also gives its figure),
 * then every pipeline query and search measured on both, side by side.
 */
export async function teamPipelineFigures(cluster: PostgresCluster): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-bench-team-pipeline-'));
  const admin = new pg.Client({
    host: cluster.host,
    port: cluster.port,
    user: cluster.superuser,
    password: cluster.password,
    database: 'postgres',
    ssl: { ca: cluster.caPem, rejectUnauthorized: true },
  });
  await admin.connect();
  await admin.query('CREATE DATABASE bench_pipeline');
  await admin.end();
  const url = `postgres://${cluster.superuser}:${encodeURIComponent(cluster.password)}@127.0.0.1:${cluster.port}/bench_pipeline`;
  try {
    const local = await seedPipeline(dir, 10_000, 3);
    await growReports(local, 100_000);
    const figures: BenchFigure[] = [];
    const sqlite = await measurePipeline(local.store, 'SQLite, 100,000 reports', () => 20);
    await local.store.close();

    const cipher = createValueCipher(randomBytes(32));
    const team = await openTeamStore({ url, caPem: cluster.caPem, cipher, poolSize: 2 });
    try {
      const started = performance.now();
      const moved = await moveLocalHistory({
        sqliteFile: local.file,
        localCipher: createValueCipher(local.dataKey),
        team: { engine: team.engine, cipher },
      });
      figures.push({
        name: `team: move a local history of ${moved.reports.toLocaleString('en-US')} reports into PostgreSQL`,
        value: (performance.now() - started) / 1000,
        unit: 's',
      });
      await team.engine.statement('ANALYZE').run();
      const postgres = await measurePipeline(team, 'PostgreSQL, 100,000 reports', () => 20);
      figures.push(...sqlite, ...postgres);
      for (const [i, figure] of postgres.entries()) {
        const twin = sqlite[i];
        if (twin)
          figures.push({
            name: `${figure.name.replace('PostgreSQL, 100,000 reports', 'PostgreSQL ÷ SQLite')}`,
            value: figure.value / twin.value,
            unit: 'x',
          });
      }
    } finally {
      await team.close();
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export interface TestDatabase {
  /** `postgres://` URL of the new database as the cluster's superuser (TLS verified with `caPem`). */
  url: string;
  name: string;
  host: string;
  port: number;
  superuser: string;
  password: string;
  caPem: string;
  caFile: string;
  /** A `pg` client config for this database as the superuser, TLS verified against the test CA. */
  clientConfig(): pg.ClientConfig;
}

/** Where a PostgreSQL cluster is and how to sign in to it as its superuser. */
export type ClusterAddress = Pick<TestDatabase, 'host' | 'port' | 'superuser' | 'password' | 'caPem' | 'caFile'>;

/** The run's cluster, as the global set-up started it. */
export function postgresCluster(): ClusterAddress {
  return inject('postgres');
}

/**
 * A fresh, empty database in the run's PostgreSQL cluster (or `cluster`), dropped after the file's tests.
 * Call it at the top of a `describe` or in `beforeAll`.
 */
export async function createTestDatabase(
  prefix = 'assetdesk_test',
  cluster: ClusterAddress = postgresCluster(),
): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(adminConfig(cluster, 'postgres'));
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  afterAll(async () => {
    const cleanup = new pg.Client(adminConfig(cluster, 'postgres'));
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await cleanup.end();
    }
  });
  return {
    name,
    url: `postgres://${cluster.superuser}:${encodeURIComponent(cluster.password)}@${cluster.host}:${cluster.port}/${name}`,
    ...cluster,
    clientConfig: () => adminConfig(cluster, name),
  };
}

function adminConfig(cluster: ClusterAddress, database: string): pg.ClientConfig {
  return {
    host: cluster.host,
    port: cluster.port,
    user: cluster.superuser,
    password: cluster.password,
    database,
    ssl: { ca: cluster.caPem, rejectUnauthorized: true },
  };
}

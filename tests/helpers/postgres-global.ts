import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster';

/**
 * vitest global set-up: one real PostgreSQL cluster for the whole run (it takes a few seconds to
 * start); every test file makes its own database in it (`tests/helpers/postgres.ts`).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgresCluster();
  project.provide('postgres', {
    host: cluster.host,
    port: cluster.port,
    superuser: cluster.superuser,
    password: cluster.password,
    caPem: cluster.caPem,
    caFile: cluster.caFile,
  });
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: {
      host: string;
      port: number;
      superuser: string;
      password: string;
      caPem: string;
      caFile: string;
    };
  }
}

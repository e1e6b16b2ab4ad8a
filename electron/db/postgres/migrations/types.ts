import type pg from 'pg';

/**
 * One numbered step of the team database's schema. `up` runs inside the migration transaction on the
 * connection that holds the migration lock; it must not commit. Versions are never reused or edited once
 * released (the same rule as the local store's migrations).
 */
export interface PostgresMigration {
  version: number;
  name: string;
  up(client: pg.ClientBase): Promise<void>;
}

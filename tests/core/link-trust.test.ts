import { Products } from 'plaid';
import { createApplicant, startHarness, type CoreHarness } from './harness';

/**
 * link:complete stores what Plaid says about the new Item, not what the page claims: the page's
 * metadata below lies about the bank and the accounts, and the stored Item must not believe it.
 */

let h: CoreHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const lyingMetadata = {
  institution: { institution_id: 'ins_109511', name: 'Tartan Bank' },
  accounts: [{ id: 'forged-account', name: 'Forged Savings', mask: '9999', type: 'depository', subtype: 'savings' }],
  link_session_id: 'forged',
};

async function publicToken(institutionId: string) {
  const created = await h.plaid.sandboxPublicTokenCreate({
    institution_id: institutionId,
    initial_products: [Products.Assets],
  });
  return created.data.public_token;
}

test('the institution and accounts come from Plaid, whatever the metadata says', async () => {
  const applicant = await createApplicant(h.handlers);
  const item = await h.handlers['link:complete']({
    applicantId: applicant.id,
    publicToken: await publicToken('ins_109508'),
    metadata: lyingMetadata,
  });
  expect(item.institutionId).toBe('ins_109508');
  expect(item.institutionName).toBe('First Platypus Bank');
  const accountsAtPlaid = await h.plaid.accountsGet({
    access_token: await h.services.internals.store()!.items.accessToken(item.id),
  });
  expect(item.accounts.map((a) => a.accountId).sort()).toEqual(
    accountsAtPlaid.data.accounts.map((a) => a.account_id).sort(),
  );
  expect(item.accounts.some((a) => a.accountId === 'forged-account' || a.name === 'Forged Savings')).toBe(false);
  expect((await h.services.internals.store()!.items.get(item.id))?.accounts).toEqual(item.accounts);
});

test('the duplicate-bank check uses Plaid’s institution: a second Item at the same bank is refused and removed', async () => {
  const applicant = await createApplicant(h.handlers, { loanNumber: 'LN-2024-0002' });
  await h.handlers['link:complete']({
    applicantId: applicant.id,
    publicToken: await publicToken('ins_109509'),
    metadata: lyingMetadata,
  });
  // The page claims a different bank; Plaid says it is First Gingham again.
  const second = h.handlers['link:complete']({
    applicantId: applicant.id,
    publicToken: await publicToken('ins_109509'),
    metadata: {
      ...lyingMetadata,
      institution: { institution_id: 'ins_109510', name: 'Tattersall Federal Credit Union' },
    },
  });
  await expect(second).rejects.toMatchObject({ code: 'DUPLICATE_INSTITUTION' });
  await expect(second).rejects.toThrow(/First Gingham Credit Union is already linked/);
  const items = await h.handlers['loans:get']({ loanId: applicant.loanId });
  expect(items.items.filter((i) => i.status !== 'removed')).toHaveLength(1);
});

test('metadata naming an already-linked bank does not block a different bank', async () => {
  const applicant = await createApplicant(h.handlers, { loanNumber: 'LN-2024-0003' });
  const first = await h.handlers['link:complete']({
    applicantId: applicant.id,
    publicToken: await publicToken('ins_109511'),
    metadata: lyingMetadata,
  });
  expect(first.institutionName).toBe('Tartan Bank');
  const second = await h.handlers['link:complete']({
    applicantId: applicant.id,
    publicToken: await publicToken('ins_109508'),
    metadata: lyingMetadata, // claims Tartan again
  });
  expect(second.institutionId).toBe('ins_109508');
});

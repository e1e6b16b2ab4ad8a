import { readFileSync } from 'node:fs';
import { OFFICER_MESSAGES } from '../../electron/services/plaid-messages';
import { PropertyAddress } from '../../shared/domain';

/** Texts the officer reads, said one way and truly. */

test('the Plaid Dashboard path to the keys is given one way: Developers → Keys', () => {
  expect(OFFICER_MESSAGES.INVALID_API_KEYS).toContain('Plaid Dashboard (Developers → Keys)');
  // The keys' panel of Settings (renderer/src/settings, one file per section).
  const settings = readFileSync('renderer/src/settings/PlaidKeysSection.tsx', 'utf8');
  expect(settings).toContain('Plaid Dashboard (Developers → Keys)');
  for (const text of [settings, readFileSync('electron/services/plaid-messages.ts', 'utf8')])
    expect(text).not.toMatch(/Team Settings → Keys|Dashboard → Keys/);
});

test('keys Plaid rejects are told once, not as “Plaid rejected these keys: Plaid rejected …”', () => {
  const settings = readFileSync('renderer/src/settings/PlaidKeysSection.tsx', 'utf8');
  expect(settings).not.toContain('Plaid rejected these keys:');
});

test('the audit-copy help does not claim that creating a copy puts its token on the clipboard', () => {
  const actions = readFileSync('renderer/src/reports/ActionsPanel.tsx', 'utf8').replace(/\s+/g, ' ');
  expect(actions).not.toContain('The token is copied to the clipboard');
  expect(actions).toContain('Copy token');
});

test('an empty state asks for the state; a wrong one names the form of a state code', () => {
  const address = { street: '1 Main St', city: 'Oakland', zip: '94607' };
  expect(PropertyAddress.safeParse({ ...address, state: '' }).error?.issues[0]?.message).toBe(
    'Choose the property’s state',
  );
  expect(PropertyAddress.safeParse({ ...address, state: '  ' }).error?.issues[0]?.message).toBe(
    'Choose the property’s state',
  );
  expect(PropertyAddress.safeParse({ ...address, state: 'XX' }).error?.issues[0]?.message).toBe(
    'State must be a two-letter US state code, like CA',
  );
  expect(PropertyAddress.safeParse({ ...address, state: 'ca' }).data?.state).toBe('CA');
});

import { createMemoryLogger } from '../../electron/log/logger';
import { createIpcDispatcher } from '../../electron/services/ipc-dispatcher';
import { channelNames, contract, type Channel, type ContractHandlers } from '../../shared/ipc/contract';

/**
 * Every field rule of every channel, one bad value at a time, through the dispatcher (not the handlers):
 * each must be answered VALIDATION_FAILED naming that field, and no handler may run. Loosening a rule
 * (say, reports:create item ids to any value) fails here.
 */
const ids = ['', 'x'.repeat(65), 42, null, {}, ['a'], true];
const optionalIds = ['', 'x'.repeat(65), 42, null, {}];
const bools = ['true', 1, null, {}];
const days = [0, 732, 1.5, '61', -1, Number.NaN, Number.POSITIVE_INFINITY, null];
const text200 = ['x'.repeat(201), 5, {}, null];
const money = [-1, 1_000_000_001, '100', Number.NaN, Number.POSITIVE_INFINITY, null];
const isoDates = ['2024-1-1', '01/02/2024', '2024-01-01T00:00:00Z', 20240101, null];
const limits = [0, 10_001, 1.5, '10', -1, null];
const offsets = [-1, 0.5, '0', null];

const borrower = {
  firstName: 'Alberta',
  lastName: 'Charleson',
  email: 'alberta@example.com',
  phone: '+1 415 555 0100',
};
const applicationDate = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
const loan = {
  loanNumber: 'LN-2024-0001',
  loanPurpose: 'purchase',
  applicationDate,
  expectedNoteDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
  property: { street: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701' },
  qualifyingMonthlyIncome: 8000,
  fundsToClose: 20000,
};
const borrowerFields = {
  firstName: ['', '   ', 'x'.repeat(101), 3, null],
  middleName: ['x'.repeat(101), 3, null],
  lastName: ['', '   ', 'x'.repeat(101), 3, null],
  email: ['not-an-email', 'a@', '', 5, null, `${'a'.repeat(249)}@x.com`],
  phone: ['12', 'call me', '+1 (415) 555-0100 ext 99999999999', 4155550100, null, '555-0100', '(115) 555-0134'],
  ssn: [
    '000-12-3456',
    '666-12-3456',
    '912-34-5678',
    '123-00-4567',
    '123-45-0000',
    '123-45-678',
    '12-345-6789',
    'xxx-xx-xxxx',
    123456789,
    null,
  ],
};
const loanFields = {
  loanNumber: ['', 'LN 1', 'LN_1', 'x'.repeat(41), 7, null],
  loanPurpose: ['cash-out', '', 'PURCHASE', 1, null],
  applicationDate: [...isoDates, '2030-01-01', '2016-11-01', '2026-02-30'],
  // Nullable (not known yet); a date more than a year ahead is a typo.
  expectedNoteDate: ['2024-1-1', '01/02/2024', '2026-02-30', 20240101, '2099-01-01'],
  property: ['1 Main St', 5, []],
  'property.street': ['', '   ', 'x'.repeat(121), 5, null],
  'property.unit': ['x'.repeat(31), 5, null],
  'property.city': ['', 'x'.repeat(81), 5, null],
  'property.state': ['XX', 'California', '', 5, null, 'C'.repeat(100_000)],
  'property.zip': ['1234', 'ABCDE', '12345-12', 12345, null],
  qualifyingMonthlyIncome: money,
  fundsToClose: [...money, 50_000_001],
  reservesNeeded: money,
};
const prefixed = (prefix: string, fields: Record<string, unknown[]>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${prefix}.${k}`, v]));
const metadata = {
  institution: { institution_id: 'ins_109508', name: 'First Platypus Bank' },
  accounts: [{ id: 'acc-1', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking' }],
  link_session_id: 'session-1',
};

interface Row {
  valid: Record<string, unknown>;
  fields: Record<string, unknown[]>;
}

const TEST_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

const TABLE: Partial<Record<Channel, Row>> = {
  'settings:update': {
    valid: {
      webhook: { enabled: true, publicUrl: null },
      oauthRedirectUri: { environment: 'sandbox', uri: 'https://desk.example.com/oauth' },
      hostedLinkLifetimeSeconds: 86_400,
      insights: { environment: 'sandbox', enabled: true },
    },
    fields: {
      webhook: ['on', true, null, { enabled: true }],
      'webhook.enabled': bools,
      'webhook.publicUrl': [
        'http://example.com/hook',
        'not a url',
        5,
        'ftp://x.example',
        `https://x.example/${'a'.repeat(2048)}`,
      ],
      retentionDays: [0, 36_501, 1.5, '30'],
      largeDepositShare: [0, -0.5, 5.01, '0.5', null, 0.12345],
      documentAgeRule: ['fannie', '', 1, null],
      oauthRedirectUri: ['https://x.example', null, { environment: 'sandbox' }],
      'oauthRedirectUri.environment': ['emulator', 'Sandbox', '', null],
      'oauthRedirectUri.uri': [
        'assetdesk://oauth',
        'https://x.example/?a=1',
        'https://x.example/#f',
        'not a url',
        5,
        // Sandbox allows plain http on this computer only.
        'http://desk.example.com/oauth',
      ],
      hostedLinkLifetimeSeconds: [0, 599, 21 * 24 * 3600 + 1, 3600.5, '3600', null],
      insights: [true, null, { environment: 'sandbox' }, { environment: 'development', enabled: true }],
      'insights.environment': ['development', '', 1, null],
      'insights.enabled': bools,
    },
  },
  'settings:switchEnvironment': {
    valid: { environment: 'sandbox' },
    fields: { environment: ['development', 'Sandbox', '', 1, null] },
  },
  'credentials:save': {
    valid: { environment: 'sandbox', clientId: 'a'.repeat(24), secret: 'b'.repeat(30) },
    fields: {
      environment: ['emulator', 'development', '', null],
      clientId: ['a'.repeat(23), 'a'.repeat(25), 'g'.repeat(24), '', 5, null],
      secret: ['b'.repeat(29), 'b'.repeat(31), 'z'.repeat(30), '', 5, null],
    },
  },
  'credentials:clear': { valid: { environment: 'production' }, fields: { environment: ['emulator', '', 2, null] } },
  'loans:list': {
    valid: {},
    fields: {
      query: text200,
      loanStatus: ['active', 'Open', '', 1, null],
      reportStatus: ['done', '', 1, null],
      needsAttention: bools,
      refreshDueWithinDays: [-1, 367, 1.5, '14', null],
      sort: ['name', 'Borrower', '', 1, null],
      direction: ['up', 'ASC', '', 1, null],
      limit: limits,
      offset: offsets,
    },
  },
  'loans:get': { valid: { loanId: 'l1' }, fields: { loanId: ids } },
  'loans:findByNumber': { valid: { loanNumber: 'LN-1' }, fields: { loanNumber: ['', '   ', 'x'.repeat(41), 5, null] } },
  'loans:create': {
    valid: { loan, borrowers: [borrower] },
    fields: {
      loan: [null, 'x', []],
      borrowers: [[], null, 'x', Array.from({ length: 5 }, () => borrower)],
      ...prefixed('loan', loanFields),
      // A note date before the application date is refused on the whole loan, naming the note date.
      'loan.expectedNoteDate': [...loanFields.expectedNoteDate, '2000-01-01'],
      ...prefixed('borrowers.0', borrowerFields),
    },
  },
  'loans:update': {
    // The property goes whole, so each of its fields is tested against an otherwise valid address.
    valid: { loanId: 'l1', changes: { property: loan.property } },
    fields: { loanId: ids, changes: [null, 'x', 5], ...prefixed('changes', loanFields) },
  },
  'loans:setStatus': {
    valid: { loanId: 'l1', status: 'closed' },
    fields: { loanId: ids, status: ['funded', 'Closed', '', 1, null] },
  },
  'loans:delete': { valid: { loanId: 'l1' }, fields: { loanId: ids } },
  'loans:export': { valid: { loanId: 'l1' }, fields: { loanId: ids } },
  'loans:fundsToClose': { valid: { loanId: 'l1' }, fields: { loanId: ids } },
  'borrowers:add': {
    valid: { loanId: 'l1', borrower },
    fields: { loanId: ids, borrower: [null, 'x', 5], ...prefixed('borrower', borrowerFields) },
  },
  'borrowers:update': {
    valid: { applicantId: 'a1', changes: {} },
    fields: { applicantId: ids, changes: [null, 'x', 5], ...prefixed('changes', borrowerFields) },
  },
  'borrowers:remove': { valid: { applicantId: 'a1' }, fields: { applicantId: ids } },
  'link:createToken': { valid: { applicantId: 'a1' }, fields: { applicantId: ids, itemId: optionalIds } },
  'link:complete': {
    valid: { applicantId: 'a1', publicToken: 'public-token', metadata },
    fields: {
      applicantId: ids,
      publicToken: ['', 'x'.repeat(201), 5, null],
      metadata: [null, 'x', []],
      'metadata.institution': [null, 'x'],
      'metadata.institution.institution_id': ['', 'x'.repeat(65), 5, null],
      'metadata.institution.name': ['', 'x'.repeat(201), 5, null],
      'metadata.accounts': [null, 'x', Array.from({ length: 101 }, () => metadata.accounts[0])],
      'metadata.accounts.0.id': ['', 'x'.repeat(65), 5, null],
      // A field Link does not send is refused, not silently dropped.
      'metadata.accounts.0.balance': [100, 'x'.repeat(10_000)],
      'metadata.accounts.0.name': ['x'.repeat(201), 5, null],
      'metadata.accounts.0.mask': ['123456789', 5],
      'metadata.accounts.0.type': ['x'.repeat(41), 5, null],
      'metadata.accounts.0.subtype': ['x'.repeat(61), 5],
      'metadata.link_session_id': ['x'.repeat(101), 5, null],
    },
  },
  'handoff:setPin': {
    valid: { pin: '2468' },
    fields: { pin: ['123', '1234567890123', '12a4', '', 2468, null], currentPin: ['1'.repeat(13), 5, null] },
  },
  'handoff:start': { valid: { applicantId: 'a1' }, fields: { applicantId: ids, itemId: optionalIds } },
  'handoff:end': { valid: { pin: '2468' }, fields: { pin: ['', '1'.repeat(13), 2468, null] } },
  'link:updateComplete': { valid: { itemId: 'i1' }, fields: { itemId: ids } },
  'link:exited': {
    valid: { applicantId: 'a1', linkToken: 'link-sandbox-1' },
    fields: { applicantId: ids, itemId: optionalIds, linkToken: ['', 'x'.repeat(201), 5, null] },
  },
  'link:createHosted': {
    valid: { applicantId: 'a1' },
    fields: { applicantId: ids, deliveryMethod: ['post', 'SMS', '', 5, null] },
  },
  'link:hostedStatus': { valid: { hostedLinkId: 'h1' }, fields: { hostedLinkId: ids } },
  'link:hostedSessions': { valid: { applicantId: 'a1' }, fields: { applicantId: ids } },
  'link:revokeHosted': { valid: { hostedLinkId: 'h1' }, fields: { hostedLinkId: ids } },
  'items:remove': { valid: { itemId: 'i1' }, fields: { itemId: ids } },
  'reports:create': {
    valid: { loanId: 'l1', itemIds: ['i1'], daysRequested: 61, includeApplicantDetails: true },
    fields: {
      loanId: ids,
      itemIds: [[], 'i1', null, Array.from({ length: 100 }, (_, i) => `i${i}`)],
      'itemIds.0': ids,
      daysRequested: days,
      includeApplicantDetails: bools,
      requireAllItems: ['yes', 1, null],
      fastAssets: ['yes', 1, null],
    },
  },
  'reports:search': {
    valid: {},
    fields: {
      query: text200,
      institution: text200,
      status: ['done', '', 1, null],
      from: isoDates,
      to: isoDates,
      limit: limits,
      offset: offsets,
    },
  },
  'reports:get': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'reports:view': {
    valid: { reportId: 'r1', part: 'firstScreen' },
    fields: { reportId: ids, part: ['first', 'FIRSTSCREEN', '', 1, null, {}] },
  },
  'reports:pdf': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'reports:summary': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'reports:refresh': { valid: { reportId: 'r1' }, fields: { reportId: ids, daysRequested: days } },
  'reports:filter': {
    valid: { reportId: 'r1', accountIdsToExclude: ['acc-1'] },
    fields: {
      reportId: ids,
      accountIdsToExclude: [[], 'acc-1', null, Array.from({ length: 101 }, (_, i) => `acc-${i}`)],
      'accountIdsToExclude.0': ['', 'x'.repeat(65), 5, null],
    },
  },
  'reports:remove': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'reports:export': {
    valid: { reportId: 'r1', format: 'pdf' },
    fields: { reportId: ids, format: ['docx', 'PDF', '', 1, null], withCoverPage: bools },
  },
  'auditCopies:list': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'auditCopies:create': {
    valid: { reportId: 'r1', auditorId: 'fannie_mae' },
    fields: { reportId: ids, auditorId: ['Fannie Mae', 'f', 'x'.repeat(65), 'fannie-mae', 5, null] },
  },
  'auditCopies:copyToken': { valid: { auditCopyId: 'c1' }, fields: { auditCopyId: ids } },
  'auditCopies:remove': { valid: { auditCopyId: 'c1' }, fields: { auditCopyId: ids } },
  'deposits:markSourced': {
    valid: { reportId: 'r1', transactionId: 't1', note: 'gift letter on file' },
    fields: {
      reportId: ids,
      transactionId: ['', 'x'.repeat(65), 5, null],
      note: ['', '   ', 'x'.repeat(1001), 5, null],
    },
  },
  'deposits:unmarkSourced': {
    valid: { reportId: 'r1', transactionId: 't1' },
    fields: { reportId: ids, transactionId: ['', 'x'.repeat(65), 5, null] },
  },
  'deposits:markSourcedTogether': {
    valid: { reportId: 'r1', what: 'split_deposit', transactionIds: ['t1', 't2'], note: 'bill of sale on file' },
    fields: {
      reportId: ids,
      what: ['split', 'large_deposit', '', 5, null],
      // none, one twice, a bare id, more than one note may cover
      transactionIds: [[], ['t1', 't1'], 't1', null, Array.from({ length: 501 }, (_, i) => `t${i}`)],
      'transactionIds.0': ['', 'x'.repeat(65), 5, null],
      note: ['', '   ', 'x'.repeat(1001), 5, null],
    },
  },
  'deposits:unmarkSourcedTogether': {
    valid: { reportId: 'r1', what: 'possible_gift', transactionIds: ['t1'] },
    fields: {
      reportId: ids,
      what: ['gift', '', 5, null],
      transactionIds: [[], ['t1', 't1'], 't1', null, Array.from({ length: 501 }, (_, i) => `t${i}`)],
      'transactionIds.0': ['', 'x'.repeat(65), 5, null],
    },
  },
  'deposits:listSourced': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'underwriting:listConfirmations': { valid: { loanId: 'l1' }, fields: { loanId: ids } },
  'underwriting:confirmAccount': {
    valid: { loanId: 'l1', accountKey: 'acc-1', kind: 'ownership', note: 'joint account, letter on file' },
    fields: {
      loanId: ids,
      accountKey: ['', 'x'.repeat(201), 5, null],
      kind: ['owner', '', 5, null],
      note: ['', '   ', 'x'.repeat(1001), 5, null],
      usdRate: [0, -1, 1_000_001, '1.1', Number.NaN],
    },
  },
  'underwriting:withdrawConfirmation': {
    valid: { loanId: 'l1', accountKey: 'acc-1', kind: 'ownership' },
    fields: { loanId: ids, accountKey: ['', 'x'.repeat(201), 5, null], kind: ['owner', '', 5, null] },
  },
  'underwriting:updateSettings': {
    valid: { retirementDiscount: 0.6 },
    fields: {
      retirementDiscount: [-0.1, 1.1, '0.6', null],
      brokerageShare: [-0.1, 1.1, '1', null],
      hsaTreatment: ['partial', '', 5, null],
      transferMatchBusinessDays: [-1, 11, 1.5, '3', null],
    },
  },
  'clipboard:writeText': {
    valid: { text: 'https://hosted.plaid.com/link/abc' },
    fields: { text: ['', 'x'.repeat(2049), 'a\nb', 'a\rb', 'a\u0000b', 5, null] },
  },
  'activity:list': {
    valid: {},
    fields: { loanId: optionalIds, applicantId: optionalIds, reportId: optionalIds, limit: [0, 1001, 1.5, '5', null] },
  },
  'underwriting:otherReports': { valid: { reportId: 'r1' }, fields: { reportId: ids } },
  'files:showInFolder': {
    valid: { receipt: 'Ab_-'.repeat(5) + 'xy' },
    fields: { receipt: ['', 'x'.repeat(23), 'x'.repeat(21), '/home/officer/report.pdf', '../../etc/passwd', 42, null] },
  },
  'backup:setReminder': { valid: { days: 7 }, fields: { days: [0, 366, 1.5, '7', null] } },
  'backup:restore': {
    valid: { recoveryKey: '0000-0000-0000-0000-0000-0000-0000-0000' },
    fields: { recoveryKey: ['', 'short', 'x'.repeat(49), '0000-0000-0000-0000-0000-0000-0000-000!', 5, null] },
  },
  'recovery:unlock': {
    valid: { recoveryKey: '0000-0000-0000-0000-0000-0000-0000-0000' },
    fields: { recoveryKey: ['', 'short', 'x'.repeat(49), '0000-0000-0000-0000-0000-0000-0000-000!', 5, null] },
  },
  'team:create': {
    valid: {
      url: 'postgres://admin:pw@db.office.lan:5432/assetdesk',
      caPem: TEST_PEM,
      teamName: 'Northside',
      adminName: 'Ada',
    },
    fields: {
      url: ['', 'mysql://db/x', 'https://db.office.lan', 'postgres://' + 'x'.repeat(2048), 5, null],
      caPem: ['', 'not a certificate', 'x'.repeat(70_000), 5, null],
      teamName: ['', '   ', 'x'.repeat(121), 5, null],
      adminName: ['', 'x'.repeat(121), 5, null],
    },
  },
  'team:join': {
    valid: { joinText: 'assetdesk-join:v1:abc', joinCode: 'ABCD-EFGH', caPem: TEST_PEM },
    fields: {
      joinText: ['', 'x'.repeat(16 * 1024 + 1), 5, null],
      joinCode: ['', 'x'.repeat(81), 5, null],
      caPem: ['', 'nope', 5, null],
    },
  },
  'team:invite': {
    valid: { name: 'Pia', email: null, role: 'processor', expiresInDays: 3 },
    fields: {
      name: ['', 'x'.repeat(121), 5, null],
      email: ['not an e-mail', 5],
      role: ['owner', 'Admin', '', 5, null],
      expiresInDays: [0, 15, 1.5, '3', null],
    },
  },
  'team:removeMember': { valid: { memberId: 'm1' }, fields: { memberId: ids } },
};

function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    target[key] ??= {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]!] = value;
  return copy;
}

const called: string[] = [];
const handlers = new Proxy({} as ContractHandlers, {
  get: (_t, channel: string) => async () => {
    called.push(channel);
    throw new Error(`handler ${channel} ran on a payload the contract should have refused`);
  },
});
const dispatcher = createIpcDispatcher(handlers, createMemoryLogger());

const requestKeys = (channel: Channel): string[] =>
  Object.keys((contract[channel].request as unknown as { shape?: Record<string, unknown> }).shape ?? {});

describe('IPC field rules, one bad value at a time, through the dispatcher', () => {
  it('the table covers every field of every channel', () => {
    for (const channel of channelNames) {
      const keys = requestKeys(channel);
      if (keys.length === 0) continue; // no fields: see the next test
      const covered = Object.keys(TABLE[channel]?.fields ?? {});
      for (const key of keys) expect(covered, `${channel}.${key}`).toContain(key);
    }
  });

  it('channels without fields refuse any field', async () => {
    for (const channel of channelNames.filter((c) => requestKeys(c).length === 0)) {
      const answer = await dispatcher.dispatch(channel, { unexpected: 1 });
      expect(answer, channel).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'unexpected' } });
    }
  });

  const cases = Object.entries(TABLE).flatMap(([channel, row]) =>
    Object.entries(row.fields).flatMap(([field, values]) =>
      values.map((value, i) => ({ channel, field, value, i, valid: row.valid })),
    ),
  );

  it.each(cases)(
    '$channel $field bad value #$i is VALIDATION_FAILED naming $field',
    async ({ channel, field, value, valid }) => {
      const answer = await dispatcher.dispatch(channel, withValue(valid, field, value));
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.error.code).toBe('VALIDATION_FAILED');
      // The named field is the one we broke (or, for a container, a field inside it).
      expect(answer.error.field === field || answer.error.field?.startsWith(`${field}.`), answer.error.field).toBe(
        true,
      );
    },
  );

  it('the valid base payloads pass validation (so each failure above is the bad value alone)', async () => {
    for (const [channel, row] of Object.entries(TABLE)) {
      const answer = await dispatcher.dispatch(channel, row.valid);
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code, channel).toBe('INTERNAL_ERROR'); // reached the (throwing) handler
    }
    expect(called.length).toBe(Object.keys(TABLE).length);
  });
});

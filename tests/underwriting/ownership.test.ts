import {
  analyzeReport,
  matchName,
  nameMatches,
  nameTokens,
  splitPeople,
  underwritingSettings,
} from '../../shared/underwriting';
import type { LoanInputs } from '../../shared/underwriting';
import { REPORT_DATE, loan, report, singleItem } from './fixtures';

const alberta: LoanInputs['applicantName'] = { first: 'Alberta', middle: 'B', last: 'Charleson' };
const john: LoanInputs['applicantName'] = { first: 'John', middle: null, last: 'Smith' };

describe('name matching', () => {
  it.each([
    ['Alberta Bobbeth Charleson', alberta],
    ['ALBERTA B. CHARLESON', alberta],
    ['Charleson, Alberta B.', alberta],
    ['CHARLESON ALBERTA BOBBETH', alberta],
    ['alberta charleson', alberta],
    ['Alberta Bobbeth Charleson', { first: 'Alberta', last: 'Charleson' }],
    ['Alberta Charleson', { first: 'alberta', middle: 'Bobbeth', last: 'CHARLESON' }],
    ["Mary-Jane O'Brien", { first: 'Mary Jane', last: 'OBrien' }],
    ['Jose Delacruz', { first: 'Jose', last: 'De La Cruz' }],
    ['ALBERTA CHARLESON TTEE', alberta],
  ])('%s matches', (printed, applicant) => {
    expect(nameMatches(printed, applicant)).toBe(true);
  });

  it.each([
    ['Alberta Charles', alberta],
    ['Roberta Charleson', alberta],
    ['Alberta X. Charleson', alberta],
    ['Charleson', alberta],
    ['Jane Smith', john],
  ])('%s does not match', (printed, applicant) => {
    expect(nameMatches(printed, applicant)).toBe(false);
  });

  it.each([
    ['A. Charleson', alberta],
    ['J SMITH', john],
    ['J. M. Smith', { first: 'John', middle: 'Michael', last: 'Smith' }],
    ['JOHN SMITH', { first: 'J', last: 'Smith' }],
  ])('conservative reading: %s, a first name given only as an initial, is only a possible match', (printed, who) => {
    // "J SMITH" is John Smith or Jane Smith: the officer confirms who (it counted in full before).
    expect(matchName(printed, who)).toBe('possible');
    expect(matchName('J SMITH', { first: 'Jane', last: 'Smith' })).toBe('possible');
  });

  it.each([
    ['MARIA GARCIA', { first: 'Maria', last: 'Garcia Lopez' }],
    ['MARIA LOPEZ', { first: 'Maria', last: 'Garcia Lopez' }],
    ['Mary Jones', { first: 'Mary', last: 'Smith-Jones' }],
  ])(
    '%s, one part of a two-part surname, is a possible match the officer confirms (it read as someone else)',
    (printed, who) => {
      expect(matchName(printed, who)).toBe('possible');
      expect(matchName('MARIA GARCIA LOPEZ', { first: 'Maria', last: 'Garcia-Lopez' })).toBe('match');
      expect(matchName('MARIA PEREZ', { first: 'Maria', last: 'Garcia Lopez' })).toBe('none');
    },
  );

  it.each([
    ['JOHN SMITH AND/OR JANE SMITH', ['JOHN SMITH', 'JANE SMITH']],
    ['JOHN SMITH AND OR JANE SMITH', ['JOHN SMITH', 'JANE SMITH']],
    ['JOHN SMITH; JANE SMITH', ['JOHN SMITH', 'JANE SMITH']],
    ['SMITH, JOHN; SMITH, JANE', ['SMITH, JOHN', 'SMITH, JANE']],
    ['JOHN SMITH JT TEN JANE SMITH', ['JOHN SMITH', 'JANE SMITH']],
    ['JOHN SMITH & JANE SMITH JTWROS', ['JOHN SMITH', 'JANE SMITH']],
    ['JOHN SMITH JTWROS', ['JOHN SMITH']],
    ['SMITH, JOHN & JANE', ['SMITH, JOHN', 'SMITH, JANE']],
    ['JOHN SMITH D/B/A SMITH PLUMBING', ['JOHN SMITH DBA SMITH PLUMBING']],
    ['TEN EYCK, JOHN', ['TEN EYCK, JOHN']],
  ])('an owner line %s is read as the people %j', (printed, people) => {
    expect(splitPeople(printed)).toEqual(people);
  });

  it('splits several people in one string and normalises tokens', () => {
    expect(splitPeople('JOHN & JANE SMITH')).toEqual(['JOHN SMITH', 'JANE SMITH']);
    expect(splitPeople('John Smith and Jane Alana Smith')).toEqual(['John Smith', 'Jane Alana Smith']);
    expect(nameTokens('Smith, Jr., John')).toEqual(['JOHN', 'SMITH']);
  });
});

describe('ownership findings', () => {
  const analyze = (result: ReturnType<typeof report>, applicantName = alberta) =>
    analyzeReport(result, loan({ applicantName }), underwritingSettings(), REPORT_DATE);

  it('a single owner who is the applicant: ok, no badges', () => {
    const analysis = analyze(singleItem([{ id: 'chk-0000', current: 100 }]));
    expect(analysis.ownership).toMatchObject([
      { accountId: 'chk-0000', matchedName: 'Alberta Bobbeth Charleson', badges: [] },
    ]);
    expect(analysis.findings.find((f) => f.id === 'ownership:owned')).toMatchObject({
      severity: 'ok',
      citation: 'Fannie Mae B3-4.2-01',
      accountIds: ['chk-0000'],
    });
  });

  it('joint owners in either name order are badged joint and the applicant matches', () => {
    const result = singleItem([
      { id: 'joint-1', current: 600.23, owners: [['John Michael Smith', 'Jane Alana Smith']] },
      { id: 'joint-2', current: 600.23, owners: [['Jane Alana Smith', 'John Michael Smith']] },
      { id: 'joint-3', current: 600.23, owners: [['Smith, Jane A.'], ['Smith, John M.']] },
      { id: 'joint-4', current: 600.23, owners: [['John Smith']], ownershipType: 'joint' },
    ]);
    const analysis = analyze(result, john);
    for (const entry of analysis.ownership) {
      expect(entry.badges, entry.accountId).toEqual(['joint']);
      expect(entry.matchedName, entry.accountId).not.toBeNull();
    }
    // One finding for the cause, listing the four accounts.
    const finding = analysis.findings.find((f) => f.id === 'ownership:joint');
    expect(finding).toMatchObject({
      severity: 'info',
      title: 'Joint accounts: 4 accounts',
      accountIds: ['joint-1', 'joint-2', 'joint-3', 'joint-4'],
    });
    expect(finding?.detail).toContain('Jane Alana Smith');
  });

  it('flags a name mismatch', () => {
    const analysis = analyze(singleItem([{ id: 'chk-0000', current: 100, owners: [['Roberta Charleson']] }]));
    expect(analysis.ownership[0]?.badges).toEqual(['name_mismatch']);
    expect(analysis.findings.find((f) => f.id === 'ownership:name_mismatch')).toMatchObject({
      severity: 'attention',
      accountIds: ['chk-0000'],
    });
  });

  it('badges trust and business ownership by type or by name', () => {
    const analysis = analyze(
      singleItem([
        { id: 'trust-1', current: 1, owners: [['Alberta B Charleson Trustee', 'The Charleson Family Trust']] },
        { id: 'trust-2', current: 1, ownershipType: 'trust' },
        { id: 'biz-1', current: 1, owners: [['Charleson Consulting LLC']] },
        { id: 'biz-2', current: 1, owners: [['ACME, INC.', 'Alberta Charleson']] },
        { id: 'biz-3', current: 1, ownershipType: 'association' },
      ]),
    );
    const badges = Object.fromEntries(analysis.ownership.map((o) => [o.accountId, o.badges]));
    expect(badges).toEqual({
      'trust-1': ['trust'],
      'trust-2': ['trust'],
      'biz-1': ['business', 'name_mismatch'],
      'biz-2': ['business'],
      'biz-3': ['business'],
    });
    expect(analysis.findings.filter((f) => f.rule === 'ownership').every((f) => f.severity === 'attention')).toBe(true);
  });

  it('owners unavailable: from an OWNERS_UNAVAILABLE warning for the Item, or no names at all', () => {
    const result = report({
      items: [
        { itemId: 'item-warned', accounts: [{ id: 'chk-0000', current: 1, owners: [] }] },
        { itemId: 'item-empty', accounts: [{ id: 'sav-1111', current: 1, owners: [] }] },
        { itemId: 'item-fine', accounts: [{ id: 'mm-4444', current: 1 }] },
      ],
      warnings: [
        {
          warning_type: 'ASSET_REPORT_WARNING',
          warning_code: 'OWNERS_UNAVAILABLE',
          cause: {
            error_type: 'ITEM_ERROR',
            error_code: 'PRODUCT_NOT_READY',
            error_message: '',
            display_message: null,
            item_id: 'item-warned',
          },
        },
      ],
    });
    const badges = Object.fromEntries(analyze(result).ownership.map((o) => [o.accountId, o.badges]));
    expect(badges).toEqual({ 'chk-0000': ['owners_unavailable'], 'sav-1111': ['owners_unavailable'], 'mm-4444': [] });
  });

  it('an account "JOHN SMITH AND/OR JANE SMITH" is John’s, joint with Jane; it was held back as a possible match', () => {
    const analysis = analyze(
      singleItem([{ id: 'andor-0000', current: 10000, owners: [['JOHN SMITH AND/OR JANE SMITH']] }]),
      john,
    );
    expect(analysis.ownership[0]).toMatchObject({
      owned: true,
      matchedName: 'JOHN SMITH',
      otherOwners: ['JANE SMITH'],
      badges: ['joint'],
    });
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(10000);
    expect(analysis.findings.find((f) => f.id === 'ownership:joint')?.detail).toContain(
      "a non-borrowing owner (JANE SMITH) may need to confirm the borrower's full access",
    );
  });

  it('a joint account of two borrowers asks nobody else to confirm access', () => {
    const analysis = analyzeReport(
      singleItem([{ id: 'jt-0000', current: 10000, owners: [['John Smith', 'Jane Smith']] }]),
      loan({ applicantName: john, coBorrowerNames: [{ first: 'Jane', last: 'Smith' }] }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.ownership[0]).toMatchObject({ owned: true, otherOwners: [], badges: ['joint'] });
    const detail = analysis.findings.find((f) => f.id === 'ownership:joint')?.detail;
    expect(detail).toContain('every owner is a borrower on the loan');
    expect(detail).not.toContain('non-borrowing');
  });

  it('a person trading under a business name, a sole proprietor or a partnership is a business account', () => {
    const result = singleItem([
      { id: 'dba-0000', current: 100, owners: [['JOHN SMITH D/B/A SMITH PLUMBING']] },
      { id: 'sp-1111', current: 100, owners: [['JOHN SMITH SOLE PROP']] },
      { id: 'lp-2222', current: 100, owners: [['SMITH PARTNERSHIP LP']] },
    ]);
    // Confirming the name would have counted them without the lender's business-asset review.
    expect(analyze(result, john).ownership.map((o) => o.badges.includes('business'))).toEqual([true, true, true]);
  });

  it('does not check owners of credit and loan accounts', () => {
    const analysis = analyze(singleItem([{ id: 'card-3333', type: 'credit', current: 1, owners: [['Someone Else']] }]));
    expect(analysis.ownership).toEqual([]);
  });
});

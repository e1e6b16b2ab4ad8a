import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import type { AccountConfirmation } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

// Money held in trust is the borrower's for closing only once the trust documents show its value and that the
// borrower can withdraw it: until then it is flagged and not counted, as a business account before its review.
describe('an account held in trust', () => {
  const result = singleItem([
    // Alberta's checking: 10,000.
    { id: 'chk-0000', current: 10_000 },
    // Her trust account, in her name as trustee: 20,000.
    {
      id: 'tru-5555',
      name: 'Trust Savings',
      subtype: 'savings',
      current: 20_000,
      ownershipType: 'trust',
      owners: [['Alberta B Charleson TTEE']],
    },
  ]);
  const trustDocuments: AccountConfirmation = {
    accountKey: 'ins_109508:5555:savings',
    kind: 'ownership',
    note: 'Certification of trust: Alberta is trustee with full withdrawal rights',
  };
  const analyze = (confirmations: AccountConfirmation[] = []) =>
    analyzeReport(result, loan(), underwritingSettings({ accountConfirmations: confirmations }), REPORT_DATE);

  it('is not counted until the trust documents are recorded: 10,000 against 25,000 is short 15,000', () => {
    const analysis = analyze();
    expect(analysis.ownership.find((o) => o.accountId === 'tru-5555')).toMatchObject({
      owned: true,
      badges: ['trust'],
    });
    expect(analysis.fundsToClose).toMatchObject({
      verifiedLiquidAssets: 10_000,
      availableFunds: 10_000,
      required: 25_000,
      shortfall: 15_000,
    });
    expect(analysis.fundsToClose.notCounted).toMatchObject([
      { accountId: 'tru-5555', balance: 20_000, reasons: ['trust'] },
    ]);
    expect(analysis.findings.find((f) => f.id === 'funds-not-counted:trust')).toMatchObject({
      severity: 'attention',
      title: 'Not counted in funds to close: 1 account because it is held in trust',
      accountIds: ['tru-5555'],
    });
    const held = analysis.findings.find((f) => f.id === 'ownership:trust');
    expect(held).toMatchObject({ severity: 'attention', title: 'Held in trust: 1 account' });
    expect(held?.detail).toBe(
      "Trust Savings ••5555: not counted in funds to close until the trust documents (from the trustee) show the account's value and that the borrower can withdraw the funds. Record them as an ownership confirmation with a note to count it.",
    );
  });

  it('counts in full once the officer records the trust documents: 30,000 against 25,000, 5,000 to spare', () => {
    const analysis = analyze([trustDocuments]);
    expect(analysis.fundsToClose).toMatchObject({ verifiedLiquidAssets: 30_000, surplus: 5_000, notCounted: [] });
    expect(analysis.findings.find((f) => f.id === 'ownership:trust')).toMatchObject({
      severity: 'ok',
      title: 'Held in trust, documents recorded: 1 account',
    });
    expect(analysis.counts.attention).toBe(0);
  });

  it('a trust account in someone else’s name needs ownership confirmed first, with one confirmation for both', () => {
    const family = singleItem([
      { id: 'tru-6666', subtype: 'savings', current: 20_000, owners: [['The Charleson Family Trust']] },
    ]);
    const before = analyzeReport(family, loan(), underwritingSettings(), REPORT_DATE);
    expect(before.fundsToClose.notCounted).toMatchObject([{ reasons: ['name_mismatch'] }]);
    const after = analyzeReport(
      family,
      loan(),
      underwritingSettings({ accountConfirmations: [{ ...trustDocuments, accountKey: 'ins_109508:6666:savings' }] }),
      REPORT_DATE,
    );
    expect(after.fundsToClose.verifiedLiquidAssets).toBe(20_000);
  });
});

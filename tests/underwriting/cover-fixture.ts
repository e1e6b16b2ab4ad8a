import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import type { LoanPurpose, UnderwritingAnalysis } from '../../shared/underwriting';
import type { CoverPageInput } from '../../electron/services/cover-page';
import { REPORT_DATE, loan, report } from './fixtures';

/** A purchase file with something for every rule: a large deposit, NSF fees, a joint account, a new account. */
export function busyAnalysis(
  sourcedDeposits: { transactionId: string; note: string }[] = [],
  purpose: LoanPurpose = 'purchase',
): UnderwritingAnalysis {
  const result = report({
    id: '1f414183-220c-44f5-b0c8-bc0e6d4053bb',
    items: [
      {
        itemId: 'item-1',
        accounts: [
          {
            id: 'chk-0000',
            name: 'Plaid Checking',
            current: 24000,
            transactions: [
              { id: 'txn-wire-15000', daysAgo: 6, amount: -15000, description: 'WIRE TRANSFER IN J DOE' },
              // Plaid's insights call it payroll, so it is not a large deposit.
              {
                id: 'txn-gusto',
                daysAgo: 14,
                amount: -5850,
                description: 'ACH Electronic CreditGUSTO PAY 123456',
                category: ['Transfer', 'Payroll'],
              },
              { id: 'txn-nsf-1', daysAgo: 12, amount: 35, description: 'NSF FEE ITEM 3322' },
              { id: 'txn-nsf-2', daysAgo: 50, amount: 35, description: 'OVERDRAFT ITEM FEE' },
              { id: 'txn-rent', daysAgo: 3, amount: 2100, description: 'RENT PAYMENT' },
            ],
          },
          {
            id: 'sav-1111',
            name: 'Plaid Saving',
            subtype: 'savings',
            current: 8200,
            owners: [['Charleson, Alberta B.', 'Robert J Charleson']],
          },
          {
            id: 'new-9002',
            name: 'Plaid Cash Management',
            subtype: 'cash management',
            current: 3000,
            daysAvailable: 40,
          },
          { id: 'ira-5555', name: 'Plaid IRA', type: 'investment', subtype: 'ira', current: 12000 },
          { id: 'card-3333', name: 'Plaid Credit Card', type: 'credit', subtype: 'credit card', current: 410 },
        ],
      },
      {
        itemId: 'item-2',
        institutionName: 'Tartan Bank',
        accounts: [
          { id: 'biz-4444', name: 'Business Checking', current: 5000, owners: [['Charleson Consulting LLC']] },
        ],
      },
    ],
  });
  return analyzeReport(
    result,
    // Counted: cash 24,000 + 8,200 + 3,000 (the LLC's business account is not) + IRA 60% of 12,000 = 42,400;
    // less the unsourced 15,000 wire = 27,400 against 33,000 + 6,000 = 39,000: short 11,600 (3,400 over once sourced).
    loan({ fundsToClose: 33000, reservesNeeded: 6000, purpose }),
    underwritingSettings({ sourcedDeposits }),
    REPORT_DATE,
  );
}

/** What the desk hands the cover page for a report of the busy file. */
export function coverInput(analysis: UnderwritingAnalysis = busyAnalysis()): CoverPageInput {
  return {
    analysis,
    applicantName: 'Alberta B. Charleson',
    loanNumber: 'LN-2026-0042',
    reportId: analysis.reportId,
    generatedAt: '2026-03-31T14:05:00Z',
    asOf: '2026-03-31',
  };
}

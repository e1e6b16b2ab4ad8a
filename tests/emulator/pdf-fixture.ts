import type { AssetReport, AccountAssets, AssetReportTransaction } from 'plaid';

/**
 * A hand-built Asset Report for the PDF renderer's tests and benchmark: `accounts` depository accounts of one
 * Item, each with `transactionsPerAccount` transactions spread over `days` days and a consistent daily history.
 */
export function buildAssetReport(options: {
  accounts: number;
  transactionsPerAccount: number;
  days: number;
}): AssetReport {
  const generated = new Date('2026-03-30T18:27:37Z');
  const descriptions = [
    'ACH Electronic CreditGUSTO PAY 123456',
    'McDonalds #3322',
    'Starbucks',
    'SparkFun',
    'Uber 063015 SF**POOL**',
  ];
  const amounts = [-5850, 12, 4.33, 89.4, 5.4];
  const accounts: AccountAssets[] = [];
  for (let a = 0; a < options.accounts; a += 1) {
    const accountId = `acct${String(a).padStart(33, '0')}`;
    const current = 1000 + a * 250.5;
    const transactions: AssetReportTransaction[] = [];
    for (let t = 0; t < options.transactionsPerAccount; t += 1) {
      const daysAgo = Math.floor((t * options.days) / Math.max(1, options.transactionsPerAccount));
      const date = new Date(generated.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      transactions.push({
        account_id: accountId,
        transaction_id: `txn${String(a).padStart(4, '0')}${String(t).padStart(30, '0')}`,
        amount: amounts[t % amounts.length] ?? 1,
        date,
        iso_currency_code: 'USD',
        unofficial_currency_code: null,
        original_description: descriptions[t % descriptions.length] ?? 'Payment',
        pending: false,
      });
    }
    // historical balance on day d = current + sum of amounts posted after d
    const historical_balances = [];
    for (let d = 1; d <= options.days; d += 1) {
      const date = new Date(generated.getTime() - d * 86_400_000).toISOString().slice(0, 10);
      const later = transactions.filter((txn) => txn.date > date).reduce((sum, txn) => sum + txn.amount, 0);
      historical_balances.push({
        date,
        current: Math.round((current + later) * 100) / 100,
        iso_currency_code: 'USD',
        unofficial_currency_code: null,
      });
    }
    accounts.push({
      account_id: accountId,
      balances: {
        available: current - 10,
        current,
        limit: null,
        margin_loan_amount: null,
        iso_currency_code: 'USD',
        unofficial_currency_code: null,
      },
      days_available: options.days,
      historical_balances,
      mask: String(1000 + a),
      name: a === 0 ? 'Plaid Checking' : `Plaid Saving ${a}`,
      official_name: 'Plaid Gold Standard 0% Interest Checking',
      owners: [
        {
          names: ['Alberta Bobbeth Charleson'],
          addresses: [
            {
              data: {
                street: '2992 Cameron Road',
                city: 'Malakoff',
                region: 'NY',
                postal_code: '14236',
                country: 'US',
              },
              primary: true,
            },
          ],
          emails: [{ data: 'accountholder0@example.com', primary: true, type: 'primary' as never }],
          phone_numbers: [{ data: '+1 111-555-3333', primary: false, type: 'home' as never }],
        },
      ],
      ownership_type: null,
      type: 'depository' as never,
      subtype: (a === 0 ? 'checking' : 'savings') as never,
      transactions,
    });
  }
  return {
    asset_report_id: '1f414183-220c-44f5-b0c8-bc0e6d4053bb',
    client_report_id: 'loan-2026-0042',
    date_generated: generated.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    days_requested: options.days,
    user: {
      client_user_id: 'applicant-17',
      first_name: 'Anna',
      middle_name: 'B',
      last_name: 'Charleston',
      ssn: null,
      phone_number: null,
      email: null,
    },
    items: [
      {
        item_id: 'M5eVJqLnv3tbzdngLDp9FL5OlDNxlNhlE55op',
        institution_id: 'ins_109508',
        institution_name: 'First Platypus Bank',
        date_last_updated: '2026-03-30T18:25:37Z',
        accounts,
      },
    ],
  };
}

import { report } from './fixtures';

/**
 * A couple with a report each, their money split between them. Alberta's banks: checking 15,000 and the joint ••2222
 * at First Platypus Bank (4,000 on her report's date). Jane's banks, a day later: her copy of the same joint account
 * (4,500) and her savings at First Gingham Credit Union with an unsourced 5,000 mobile deposit, large against an
 * income of 8,000 a month.
 */
const joint = (id: string, current: number) => ({
  id,
  mask: '2222',
  current,
  owners: [['Jane Doe', 'Alberta Charleson']],
});

export function albertasReport(id: string) {
  return report({
    id,
    date: '2026-03-30',
    items: [{ itemId: 'item-alberta', accounts: [{ id: 'chk-0000', current: 15_000 }, joint('joint-a', 4_000)] }],
  });
}

export function janesReport(id: string, options: { date?: string; savings?: number; depositId?: string } = {}) {
  return report({
    id,
    date: options.date ?? '2026-03-31',
    items: [
      { itemId: 'item-jane-platypus', accounts: [joint('joint-j', 4_500)] },
      {
        itemId: 'item-jane-gingham',
        institutionId: 'ins_109509',
        institutionName: 'First Gingham Credit Union',
        accounts: [
          {
            id: 'sav-1111',
            subtype: 'savings',
            current: options.savings ?? 14_000,
            owners: [['Jane Doe']],
            transactions: [
              { id: options.depositId ?? `${id}-dep`, daysAgo: 6, amount: -5_000, description: 'MOBILE DEPOSIT' },
            ],
          },
        ],
      },
    ],
  });
}

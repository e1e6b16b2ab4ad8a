import type { ReportAccount } from './accounts';
import { accountKey, describeAccount } from './accounts';
import { CITATIONS } from './types';
import type { Finding } from './types';

/** An account the report holds through more than one Item, and the copy the analysis reads. */
interface LinkedTwice {
  kept: ReportAccount;
  copies: ReportAccount[];
}

/**
 * One copy of each account. When both borrowers link the same joint account, the report holds it through two
 * Items (same institution, mask and subtype: the same accountKey); reading both would double its balance,
 * deposits and averages, and Plaid gives each copy its own transaction ids, so they cannot be merged either.
 * The copy with the most history is read (the first on a tie) and an info finding says so. Accounts of one Item
 * that share a key are distinct accounts (a bank may repeat a mask) and are all kept.
 */
export function countEachAccountOnce(accounts: ReportAccount[]): { accounts: ReportAccount[]; findings: Finding[] } {
  const byKey = new Map<string, ReportAccount[]>();
  for (const entry of accounts) {
    const key = accountKey(entry.item, entry.account);
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const linkedTwice: LinkedTwice[] = [];
  for (const group of byKey.values()) {
    if (new Set(group.map((entry) => entry.item.item_id)).size < 2) continue;
    const kept = group.reduce((best, entry) =>
      entry.account.days_available > best.account.days_available ? entry : best,
    );
    linkedTwice.push({ kept, copies: group.filter((entry) => entry.item.item_id !== kept.item.item_id) });
  }
  if (linkedTwice.length === 0) return { accounts, findings: [] };
  const left = new Set(linkedTwice.flatMap((linked) => linked.copies));
  return { accounts: accounts.filter((entry) => !left.has(entry)), findings: [linkedTwiceFinding(linkedTwice)] };
}

function linkedTwiceFinding(linkedTwice: LinkedTwice[]): Finding {
  const n = linkedTwice.length;
  const lines = linkedTwice.map(
    ({ kept, copies }) =>
      `${describeAccount(kept.label)} at ${kept.label.institutionName} is in the report ${copies.length + 1} times, once per Item that links it; counted once, from the copy with ${kept.account.days_available} days of history`,
  );
  return {
    id: 'ownership:linked-twice',
    rule: 'ownership',
    severity: 'info',
    title: `Linked twice, counted once: ${n} account${n === 1 ? '' : 's'}`,
    detail: `${lines.join('; ')}. Both borrowers linked the same account: its balance, deposits and history are read from one copy, so nothing is counted twice.`,
    citation: CITATIONS.ownership,
    accountIds: linkedTwice.flatMap(({ kept, copies }) => [
      kept.account.account_id,
      ...copies.map((c) => c.account.account_id),
    ]),
    transactionIds: [],
    dates: [],
  };
}

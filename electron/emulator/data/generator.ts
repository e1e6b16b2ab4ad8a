import { derivedId, hash32, randomIdFrom, seededRandom } from '../ids';
import type { Merchant } from './merchants';
import type { OwnerIdentity, Persona, PersonaAccount } from './personas';

/**
 * Deterministic account data for one Item at one report date: the same Item, date and history length always give
 * the same accounts, transactions and ids. Transactions depend on the calendar day (seeded by Item, account and
 * day), so overlapping reports agree; balances are kept in cents so the history identity holds exactly.
 */
export interface GeneratedTransaction {
  transaction_id: string;
  account_id: string;
  date: string;
  daysAgo: number;
  amount: number;
  original_description: string;
  merchant: Merchant;
  /** Set when it differs from `date` (the posted date). */
  date_transacted?: string;
  /** Set when not USD. */
  currency?: string;
}

export interface GeneratedAccount {
  spec: PersonaAccount;
  account_id: string;
  owners: OwnerIdentity[];
  available: number | null;
  current: number;
  limit: number | null;
  days_available: number;
  /** Newest first. */
  transactions: GeneratedTransaction[];
  /** Newest (the day before the report) first. */
  historical_balances: { date: string; current: number }[];
}

const DAY_MS = 86_400_000;

export const isoDate = (ordinal: number): string => new Date(ordinal * DAY_MS).toISOString().slice(0, 10);
export const dayOrdinal = (date: Date): number => Math.floor(date.getTime() / DAY_MS);
/** Days since 1970-01-01 of a YYYY-MM-DD date. */
const isoDateOrdinal = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const toCents = (dollars: number): number => Math.round(dollars * 100);

export function accountIdFor(itemId: string, accountKey: string): string {
  return derivedId('account', itemId, accountKey);
}

/** Accounts that carry balance history and transactions in an Asset Report. */
export const hasHistory = (spec: PersonaAccount): boolean => spec.type === 'depository' || spec.type === 'credit';

export function generateItemAccounts(input: {
  itemId: string;
  persona: Persona;
  reportDate: Date;
  daysRequested: number;
}): GeneratedAccount[] {
  const today = dayOrdinal(input.reportDate);
  return input.persona.accounts.map((spec) =>
    generateAccount(input.itemId, input.persona, spec, today, input.daysRequested),
  );
}

function generateAccount(
  itemId: string,
  persona: Persona,
  spec: PersonaAccount,
  today: number,
  daysRequested: number,
): GeneratedAccount {
  const account_id = accountIdFor(itemId, spec.key);
  const owners = spec.owners ?? [persona.owner];
  const base = { spec, account_id, owners, available: spec.available, current: spec.current, limit: spec.limit };
  if (!hasHistory(spec)) return { ...base, days_available: 0, transactions: [], historical_balances: [] };

  const ageDays = spec.openedOn === undefined ? spec.ageDays : Math.max(0, today - isoDateOrdinal(spec.openedOn));
  const span = Math.max(0, Math.min(daysRequested, ageDays));
  // An anchored balance needs the transactions between it and today, even beyond the requested span.
  const generatedDays = Math.min(ageDays, Math.max(span, spec.anchor ? spec.anchor.daysAgo - 1 : 0));
  const all: GeneratedTransaction[] = [];
  const amountsCentsByDay: number[] = [];
  for (let daysAgo = 0; daysAgo <= generatedDays; daysAgo += 1) {
    const ordinal = today - daysAgo;
    const date = isoDate(ordinal);
    const random = seededRandom(hash32(`${itemId}|${spec.key}|${ordinal}`));
    const idRandom = seededRandom(hash32(`${itemId}|${spec.key}|${ordinal}|ids`));
    const context = {
      daysAgo,
      date,
      ordinal,
      dayOfMonth: Number(date.slice(8, 10)),
      weekday: (((ordinal + 4) % 7) + 7) % 7,
      random,
    };
    let dayCents = 0;
    for (const activity of spec.activity) {
      for (const draft of activity(context)) {
        const amountCents = toCents(draft.amount);
        dayCents += amountCents;
        const transaction: GeneratedTransaction = {
          transaction_id: randomIdFrom(idRandom),
          account_id,
          date,
          daysAgo,
          amount: amountCents / 100,
          original_description: draft.description ?? draft.merchant.description.replace('{ref}', draft.reference ?? ''),
          merchant: draft.merchant,
        };
        if (draft.dateTransacted !== undefined) transaction.date_transacted = draft.dateTransacted;
        const currency = draft.currency ?? spec.currency;
        if (currency !== undefined) transaction.currency = currency;
        all.push(transaction);
      }
    }
    amountsCentsByDay.push(dayCents);
  }

  // A deposit account's balance is money held: a positive amount (money out) lowers it. A card's or loan's is the
  // amount owed: a positive amount (a charge) raises it. Walking back in time undoes each later posting either way.
  const sign = spec.type === 'depository' ? 1 : -1;
  let currentCents = toCents(spec.current);
  let available = spec.available;
  if (spec.anchor) {
    let after = 0;
    for (let d = 0; d < spec.anchor.daysAgo && d < amountsCentsByDay.length; d += 1) after += amountsCentsByDay[d] ?? 0;
    currentCents = toCents(spec.anchor.balance) - sign * after;
    available = currentCents / 100;
  }

  // deposit: balance(d) = current + Σ amounts posted after d; credit: owed(d) = current − Σ amounts posted after d
  const historical_balances: { date: string; current: number }[] = [];
  let laterCents = 0;
  for (let d = 1; d <= span; d += 1) {
    laterCents += amountsCentsByDay[d - 1] ?? 0;
    historical_balances.push({ date: isoDate(today - d), current: (currentCents + sign * laterCents) / 100 });
  }
  const transactions = span === generatedDays ? all : all.filter((t) => t.daysAgo <= span);
  return { ...base, available, current: currentCents / 100, days_available: span, transactions, historical_balances };
}

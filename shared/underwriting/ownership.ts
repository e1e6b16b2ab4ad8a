import type { AssetReportWarning } from '../asset-report';
import type { ReportAccount } from './accounts';
import { accountKey, describeAccount, isAssetAccount, isBusinessAccountName } from './accounts';
import { formatPersonName, matchName, splitPeople } from './names';
import { CITATIONS } from './types';
import type {
  AccountConfirmation,
  Finding,
  FindingSeverity,
  LoanInputs,
  OwnershipBadge,
  OwnershipResult,
  PersonName,
} from './types';

const TRUST = /\bTRUST\b|\bTRUSTEES?\b|\bTTEES?\b/i;
// Companies, and a person trading under a business name ("JOHN SMITH DBA SMITH PLUMBING"), a sole proprietor, a partnership.
const BUSINESS =
  /\b(?:LLC|L\.L\.C\.?|INC|INCORPORATED|CORP|CORPORATION|LTD|LLP|PLLC|COMPANY|DBA|D\/B\/A|SOLE PROP(?:RIETOR(?:SHIP)?)?|PARTNERSHIP|LP|L\.P\.?)\b\.?/i;

/** Every borrower on the loan: the applicant first, then any co-borrowers. */
export function borrowerNames(loan: Pick<LoanInputs, 'applicantName' | 'coBorrowerNames'>): PersonName[] {
  return [loan.applicantName, ...(loan.coBorrowerNames ?? [])];
}

/** Items whose owners Plaid could not fetch, from OWNERS_UNAVAILABLE warnings (no item id = every Item). */
function itemsWithoutOwners(warnings: AssetReportWarning[]): { all: boolean; itemIds: Set<string> } {
  const relevant = warnings.filter((warning) => warning.warning_code === 'OWNERS_UNAVAILABLE');
  return {
    all: relevant.some((warning) => !warning.cause?.item_id),
    itemIds: new Set(relevant.flatMap((warning) => (warning.cause?.item_id ? [warning.cause.item_id] : []))),
  };
}

/** One account's owners against the borrowers, with joint/trust/business badges; pure, per account. */
export function accountOwnership(
  entry: ReportAccount,
  warnings: AssetReportWarning[],
  borrowers: PersonName[],
  confirmations: AccountConfirmation[] = [],
): OwnershipResult {
  const { item, account, label } = entry;
  const unavailable = itemsWithoutOwners(warnings);
  const printed = account.owners
    .flatMap((owner) => owner.names)
    .map((name) => name.trim())
    .filter(Boolean);
  const people = printed.flatMap(splitPeople);
  const badges: OwnershipBadge[] = [];
  const ownersUnavailable = printed.length === 0 || unavailable.all || unavailable.itemIds.has(item.item_id);
  const entities = people.filter((name) => TRUST.test(name) || BUSINESS.test(name));
  const persons = people.filter((name) => !entities.includes(name));

  if (account.ownership_type === 'joint' || persons.length > 1) badges.push('joint');
  if (account.ownership_type === 'trust' || people.some((name) => TRUST.test(name))) badges.push('trust');
  if (
    account.ownership_type === 'association' ||
    people.some((name) => BUSINESS.test(name)) ||
    isBusinessAccountName(account)
  )
    badges.push('business');
  if (ownersUnavailable) badges.push('owners_unavailable');

  const verdict = (name: string) =>
    borrowers.reduce<'match' | 'possible' | 'none'>((best, borrower) => {
      const result = matchName(name, borrower);
      return best === 'match' || result === 'match' ? 'match' : best === 'possible' ? best : result;
    }, 'none');
  const matchedName = people.find((name) => verdict(name) === 'match') ?? null;
  // The people on a joint account who are not on the loan: only they need to confirm the borrower's access.
  const otherOwners =
    account.ownership_type === 'joint' || persons.length > 1 ? persons.filter((name) => verdict(name) !== 'match') : [];
  const possibleName = matchedName === null ? (people.find((name) => verdict(name) === 'possible') ?? null) : null;
  const key = accountKey(item, account);
  const confirmed = confirmations.some((c) => c.kind === 'ownership' && c.accountKey === key);
  // The officer's confirmation replaces the doubt about the name (or the missing owners); other badges stay.
  if (confirmed && matchedName === null) {
    const unknown = badges.indexOf('owners_unavailable');
    if (unknown >= 0) badges.splice(unknown, 1);
    badges.push('confirmed');
  } else if (printed.length > 0 && matchedName === null) badges.push(possibleName ? 'possible_match' : 'name_mismatch');
  const owned = matchedName !== null || confirmed;
  return { ...label, ownerNames: printed, matchedName, possibleName, otherOwners, badges, owned };
}

/**
 * Accounts whose owners are named and none of them is a borrower on the loan (and the officer has not confirmed
 * otherwise): someone else's, so not the borrower's NSF history nor average balances, as not their funds to close.
 */
export function othersAccounts(ownership: readonly OwnershipResult[]): OwnershipResult[] {
  return ownership.filter((o) => o.badges.includes('name_mismatch'));
}

/** " Not counted: Robert Checking ••1111, owned by someone not on the loan (Robert Q Public). Confirm …" or "". */
export function othersAccountsSentence(accounts: readonly OwnershipResult[]): string {
  if (accounts.length === 0) return '';
  const each = accounts.map(
    (a) => `${describeAccount(a)}, owned by someone not on the loan (${a.ownerNames.join('; ')})`,
  );
  return ` Not counted: ${each.join('; ')}. If ${accounts.length === 1 ? 'it is' : 'one is'} the borrower's, confirm ownership with a note to count it.`;
}

const CAUSES: {
  badge: OwnershipBadge;
  severity: FindingSeverity;
  title: string;
  detail: (accounts: OwnershipResult[], applicant: string) => string;
}[] = [
  {
    badge: 'name_mismatch',
    severity: 'attention',
    title: 'The borrower is not among the owners',
    detail: (accounts, applicant) =>
      `${applicant} is not among the owners of ${list(accounts, true)}. These are not counted in funds to close; confirm ownership with a note (a statement naming the borrower) to count them.`,
  },
  {
    badge: 'possible_match',
    severity: 'attention',
    title: 'Possible name match: confirm',
    detail: (accounts, applicant) =>
      `The owner name only possibly matches ${applicant} (a differing suffix, extra given names, a first name given only as an initial, or the name inside a longer line): ${accounts.map((a) => `${describeAccount(a)} (${a.possibleName ?? ''})`).join(', ')}. Not counted until the officer confirms ownership with a note.`,
  },
  {
    badge: 'owners_unavailable',
    severity: 'attention',
    title: 'Owners unknown',
    detail: (accounts) =>
      `Plaid returned no owner names, or could not fetch them (OWNERS_UNAVAILABLE), for ${list(accounts)}. Not counted until the officer confirms ownership from a statement.`,
  },
  {
    badge: 'business',
    severity: 'attention',
    title: 'Business accounts',
    detail: (accounts) =>
      `${list(accounts)}: business funds count only after the lender's business-asset review (the business's cash-flow analysis). Record that review to count them.`,
  },
  {
    badge: 'trust',
    severity: 'attention',
    title: 'Held in trust',
    // Replaced in checkOwnership by trustFinding, which knows which trust documents are recorded.
    detail: (accounts) => list(accounts),
  },
  {
    badge: 'joint',
    severity: 'info',
    title: 'Joint accounts',
    detail: (accounts) => {
      // Every person printed is a borrower: nobody else to ask. A joint account naming one person has an unnamed other.
      const borrowersOnly = accounts.filter(
        (a) => a.otherOwners.length === 0 && a.ownerNames.flatMap(splitPeople).length > 1,
      );
      const withOthers = accounts.filter((a) => !borrowersOnly.includes(a));
      return [
        withOthers.length > 0
          ? `${list(withOthers, true)}: a non-borrowing owner${withOthers.some((a) => a.otherOwners.length > 0) ? ` (${[...new Set(withOthers.flatMap((a) => a.otherOwners))].join('; ')})` : ''} may need to confirm the borrower's full access to the funds.`
          : '',
        borrowersOnly.length > 0 ? `${list(borrowersOnly, true)}: every owner is a borrower on the loan.` : '',
      ]
        .filter(Boolean)
        .join(' ');
    },
  },
  {
    badge: 'confirmed',
    severity: 'ok',
    title: 'Ownership confirmed by the officer',
    detail: (accounts) => `${list(accounts)}: ownership confirmed with a note; counted.`,
  },
];

function list(accounts: OwnershipResult[], withOwners = false): string {
  return accounts
    .map((a) => (withOwners ? `${describeAccount(a)} (${a.ownerNames.join('; ')})` : describeAccount(a)))
    .join(', ');
}

/**
 * The borrowers' names against each asset account's owners. One finding per cause (mismatch, possible match,
 * owners unknown, business, trust, joint), listing its accounts; an ok finding when every account is the borrower's.
 */
export function checkOwnership(
  accounts: ReportAccount[],
  warnings: AssetReportWarning[],
  loan: Pick<LoanInputs, 'applicantName' | 'coBorrowerNames'>,
  confirmations: AccountConfirmation[] = [],
): { ownership: OwnershipResult[]; findings: Finding[] } {
  const borrowers = borrowerNames(loan);
  const applicant = borrowers.map(formatPersonName).join(' or ');
  const ownership = accounts
    .filter((entry) => isAssetAccount(entry.account))
    .map((entry) => accountOwnership(entry, warnings, borrowers, confirmations));
  const findings: Finding[] = [];
  // An ownership confirmation on an account held in trust records its trust documents.
  const confirmedIds = new Set(
    accounts
      .filter((e) =>
        confirmations.some((c) => c.kind === 'ownership' && c.accountKey === accountKey(e.item, e.account)),
      )
      .map((e) => e.account.account_id),
  );
  for (const cause of CAUSES) {
    const affected = ownership.filter((o) => o.badges.includes(cause.badge));
    if (affected.length === 0) continue;
    if (cause.badge === 'trust') {
      findings.push(trustFinding(affected, confirmedIds));
      continue;
    }
    findings.push({
      id: `ownership:${cause.badge}`,
      rule: 'ownership',
      // A confirmed account no longer needs attention for its name; the other causes still stand.
      severity: cause.severity,
      title: `${cause.title}: ${affected.length} account${affected.length === 1 ? '' : 's'}`,
      detail: cause.detail(affected, applicant),
      citation: CITATIONS.ownership,
      accountIds: affected.map((a) => a.accountId),
      transactionIds: [],
      dates: [],
    });
  }
  const clean = ownership.filter((o) => o.badges.length === 0);
  if (clean.length > 0) {
    findings.push({
      id: 'ownership:owned',
      rule: 'ownership',
      severity: 'ok',
      title: `Owned by the borrower: ${clean.length} account${clean.length === 1 ? '' : 's'}`,
      detail: `${clean.map((o) => `${describeAccount(o)} (${o.matchedName ?? ''})`).join(', ')}.`,
      citation: CITATIONS.ownership,
      accountIds: clean.map((o) => o.accountId),
      transactionIds: [],
      dates: [],
    });
  }
  return { ownership, findings };
}

/** Accounts held in trust: not counted until their trust documents are recorded (as an ownership confirmation). */
function trustFinding(accounts: OwnershipResult[], confirmedIds: ReadonlySet<string>): Finding {
  const open = accounts.filter((a) => !confirmedIds.has(a.accountId));
  const recorded = accounts.filter((a) => confirmedIds.has(a.accountId));
  const count = (n: number) => `${n} account${n === 1 ? '' : 's'}`;
  const recordedText = recorded.length > 0 ? `${list(recorded)}: the trust documents are recorded; counted.` : '';
  return {
    id: 'ownership:trust',
    rule: 'ownership',
    severity: open.length > 0 ? 'attention' : 'ok',
    title:
      open.length > 0
        ? `Held in trust: ${count(open.length)}`
        : `Held in trust, documents recorded: ${count(recorded.length)}`,
    detail:
      open.length > 0
        ? `${list(open)}: not counted in funds to close until the trust documents (from the trustee) show the account's value and that the borrower can withdraw the funds. Record them as an ownership confirmation with a note to count ${open.length === 1 ? 'it' : 'them'}.${recordedText ? ` ${recordedText}` : ''}`
        : recordedText,
    citation: CITATIONS.ownership,
    accountIds: accounts.map((a) => a.accountId),
    transactionIds: [],
    dates: [],
  };
}

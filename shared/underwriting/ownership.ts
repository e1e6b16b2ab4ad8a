import type { AssetReportWarning } from '../asset-report';
import type { ReportAccount } from './accounts';
import { describeAccount, isAssetAccount } from './accounts';
import { formatPersonName, nameMatches, splitPeople } from './names';
import { CITATIONS } from './types';
import type { Finding, FindingSeverity, LoanInputs, OwnershipBadge, OwnershipResult } from './types';

const TRUST = /\bTRUST\b|\bTRUSTEES?\b|\bTTEES?\b/i;
const BUSINESS = /\b(?:LLC|L\.L\.C\.?|INC|INCORPORATED|CORP|CORPORATION|LTD|LLP|PLLC|COMPANY)\b\.?/i;

/** Items whose owners Plaid could not fetch, from OWNERS_UNAVAILABLE warnings (no item id = every Item). */
function itemsWithoutOwners(warnings: AssetReportWarning[]): { all: boolean; itemIds: Set<string> } {
  const relevant = warnings.filter((warning) => warning.warning_code === 'OWNERS_UNAVAILABLE');
  return {
    all: relevant.some((warning) => !warning.cause?.item_id),
    itemIds: new Set(relevant.flatMap((warning) => (warning.cause?.item_id ? [warning.cause.item_id] : []))),
  };
}

/** The applicant's name against each asset account's owners, with joint/trust/business badges. */
export function checkOwnership(
  accounts: ReportAccount[],
  warnings: AssetReportWarning[],
  loan: Pick<LoanInputs, 'applicantName'>,
): { ownership: OwnershipResult[]; findings: Finding[] } {
  const unavailable = itemsWithoutOwners(warnings);
  const applicant = formatPersonName(loan.applicantName);
  const ownership: OwnershipResult[] = [];
  const findings: Finding[] = [];

  for (const { item, account, label } of accounts) {
    if (!isAssetAccount(account)) continue;
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
    if (account.ownership_type === 'association' || people.some((name) => BUSINESS.test(name))) badges.push('business');
    if (ownersUnavailable) badges.push('owners_unavailable');

    const matchedName = people.find((name) => nameMatches(name, loan.applicantName)) ?? null;
    if (printed.length > 0 && matchedName === null) badges.push('name_mismatch');
    ownership.push({ ...label, ownerNames: printed, matchedName, badges });

    const name = describeAccount(label);
    const others = persons.filter((person) => person !== matchedName);
    const notes: string[] = [];
    let severity: FindingSeverity = 'ok';
    const raise = (to: FindingSeverity): void => {
      if (to === 'attention' || (to === 'info' && severity === 'ok')) severity = to;
    };
    if (badges.includes('owners_unavailable')) {
      raise('attention');
      notes.push(
        printed.length === 0
          ? 'Plaid returned no owner names for this account. Confirm the applicant is an owner from a statement.'
          : 'Plaid could not fetch owner details for this bank (OWNERS_UNAVAILABLE). Confirm ownership from a statement.',
      );
    }
    if (badges.includes('name_mismatch')) {
      raise('attention');
      notes.push(
        `The applicant ${applicant} is not among the owners (${printed.join('; ')}). Confirm the applicant owns this account.`,
      );
    }
    if (badges.includes('trust')) {
      raise('attention');
      notes.push('Held in trust: obtain the trust documents showing the applicant can use the funds.');
    }
    if (badges.includes('business')) {
      raise('attention');
      notes.push("A business account: business funds need the lender's business-asset analysis before they count.");
    }
    if (badges.includes('joint')) {
      raise('info');
      notes.push(
        `Joint account${others.length > 0 ? ` with ${others.join(', ')}` : ''}: a non-borrowing owner may need to confirm the applicant's full access to the funds.`,
      );
    }
    if (notes.length === 0) notes.push(`Owner ${matchedName ?? printed.join('; ')} matches the applicant.`);

    const badgeTitles: Record<OwnershipBadge, string> = {
      joint: 'joint',
      trust: 'trust',
      business: 'business',
      owners_unavailable: 'owners unavailable',
      name_mismatch: 'name mismatch',
    };
    findings.push({
      id: `ownership:${account.account_id}`,
      rule: 'ownership',
      severity,
      title:
        badges.length > 0
          ? `${name}: ${badges.map((badge) => badgeTitles[badge]).join(', ')}`
          : `${name}: owned by the applicant`,
      detail: notes.join(' '),
      citation: CITATIONS.ownership,
      accountId: account.account_id,
      transactionIds: [],
      dates: [],
    });
  }
  return { ownership, findings };
}

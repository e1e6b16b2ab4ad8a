import { z } from 'zod';
import { LoanPurpose, LoanStatus, PropertyAddress } from './loan-file';

/** Schemas for what the officer sees and sends. Plaid's own report JSON is typed in asset-report.ts. */

export const PlaidEnvironment = z.enum(['emulator', 'sandbox', 'production']);
export type PlaidEnvironment = z.infer<typeof PlaidEnvironment>;

export * from './loan-file';

const id = z.string().min(1).max(64);

/** The officer's PIN that ends a hand-off to an applicant: digits only, so any keyboard can type it. */
export const OfficerPin = z
  .string({ error: 'Officer PIN must be 4 to 12 digits' })
  .regex(/^\d{4,12}$/, 'Officer PIN must be 4 to 12 digits');

/** Whether an officer PIN is set and which borrower, if any, holds the computer now. */
export const HandoffStatus = z.object({
  pinSet: z.boolean(),
  /** The computer offers an OS check of the officer (Touch ID on a Mac) as well as the PIN. */
  osUnlock: z.boolean(),
  active: z.object({ applicantId: id, loanId: id, itemId: id.nullable() }).nullable(),
});
export type HandoffStatus = z.infer<typeof HandoffStatus>;

/** Where a loan's reports stand: the pipeline's status column. */
export const ApplicantStatus = z.enum(['no_report', 'pending', 'ready', 'refresh_due', 'needs_relink']);
export type ApplicantStatus = z.infer<typeof ApplicantStatus>;

/** A borrower on a loan (stored as an applicant: the person who links banks and is named on reports). */
export const Applicant = z.object({
  id,
  loanId: id,
  /** 0 for the primary borrower, then co-borrowers in the order added. */
  position: z.number().int(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string(),
  /** Masked for display, e.g. ***-**-1234; the full SSN never leaves the main process. */
  ssnMasked: z.string().nullable(),
  /** True when an SSN is on file but its stored value failed its integrity check: the officer must re-enter it. */
  ssnUnreadable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Applicant = z.infer<typeof Applicant>;
export type Borrower = Applicant;

export const Loan = z.object({
  id,
  loanNumber: z.string(),
  /** Set when a loan number was shared by several files before numbers had to be unique (migration 008). */
  loanNumberShared: z.boolean(),
  loanPurpose: LoanPurpose,
  applicationDate: z.string(),
  expectedNoteDate: z.string().nullable(),
  property: PropertyAddress.nullable(),
  qualifyingMonthlyIncome: z.number(),
  fundsToClose: z.number(),
  reservesNeeded: z.number(),
  status: LoanStatus,
  /** When the loan was closed or withdrawn: the retention clock starts here. */
  statusChangedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  borrowers: z.array(Applicant),
});
export type Loan = z.infer<typeof Loan>;

/** One row of the pipeline. */
export const LoanListRow = Loan.omit({ borrowers: true }).extend({
  borrowers: z.array(z.object({ id, firstName: z.string(), middleName: z.string().nullable(), lastName: z.string() })),
  reportStatus: ApplicantStatus,
  reportCount: z.number().int(),
  /** No report now, but some were made and removed (so not "No report yet"). */
  reportsRemoved: z.boolean(),
  /** No report ready or being made, and every one kept failed (so not "No report yet"). */
  reportsFailed: z.boolean(),
  latestReportAt: z.string().nullable(),
  findingCounts: z.object({ attention: z.number().int(), info: z.number().int() }).nullable(),
  /** The day the latest ready report's documents go stale (the lender's document-age rule), YYYY-MM-DD. */
  refreshBy: z.string().nullable(),
  /** The earliest day a bank connection's consent at Plaid runs out (OAuth banks), YYYY-MM-DD. */
  plaidExpiresOn: z.string().nullable(),
  lastActivityAt: z.string(),
});
export type LoanListRow = z.infer<typeof LoanListRow>;

export const PipelineSort = z.enum([
  'borrower',
  'loanNumber',
  'status',
  'findings',
  'refreshBy',
  'plaidExpiresOn',
  'noteDate',
  'lastActivity',
]);
export type PipelineSort = z.infer<typeof PipelineSort>;

export const ItemStatus = z.enum(['ok', 'needs_relink', 'removed']);
export type ItemStatus = z.infer<typeof ItemStatus>;

export const LinkedAccount = z.object({
  accountId: z.string(),
  name: z.string(),
  mask: z.string().nullable(),
  type: z.string(),
  subtype: z.string().nullable(),
});
export type LinkedAccount = z.infer<typeof LinkedAccount>;

export const HostedLinkDeliveryMethod = z.enum(['sms', 'email']);
export type HostedLinkDeliveryMethod = z.infer<typeof HostedLinkDeliveryMethod>;
export const HostedLinkStatus = z.enum(['waiting', 'completed', 'exited', 'expired', 'revoked']);
export type HostedLinkStatus = z.infer<typeof HostedLinkStatus>;

/** A Hosted Link sent to an applicant; the link token itself stays in the main process. */
export const HostedLinkSession = z.object({
  id,
  applicantId: id,
  status: HostedLinkStatus,
  createdAt: z.string(),
  /** When Plaid says the link stops working. */
  expiration: z.string(),
  finishedAt: z.string().nullable(),
  deliveryMethod: HostedLinkDeliveryMethod.nullable(),
  itemIds: z.array(id),
});
export type HostedLinkSession = z.infer<typeof HostedLinkSession>;

export const Item = z.object({
  id,
  applicantId: id,
  environment: PlaidEnvironment,
  institutionId: z.string(),
  institutionName: z.string(),
  status: ItemStatus,
  linkedAt: z.string(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** When the bank's consent at Plaid runs out (OAuth banks); null when it does not. */
  consentExpiresAt: z.string().nullable(),
  accounts: z.array(LinkedAccount),
});
export type Item = z.infer<typeof Item>;

export const ReportStatus = z.enum(['pending', 'ready', 'failed', 'removed']);
export type ReportStatus = z.infer<typeof ReportStatus>;
export const ReportKind = z.enum(['create', 'refresh', 'filter']);
export type ReportKind = z.infer<typeof ReportKind>;

export const ReportSummary = z.object({
  id,
  loanId: id,
  /** The borrower whose details go to Plaid (the first on the loan among the report's borrowers). */
  applicantId: id,
  /** The borrowers whose banks the report covers, as the officer reads them ("Maria Lopez & Ana Lopez"). */
  applicantName: z.string(),
  loanNumber: z.string(),
  environment: PlaidEnvironment,
  status: ReportStatus,
  kind: ReportKind,
  parentId: id.nullable(),
  plaidReportId: z.string().nullable(),
  daysRequested: z.number().int(),
  createdAt: z.string(),
  readyAt: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }).nullable(),
  institutions: z.array(z.string()),
  totalBalance: z.number().nullable(),
  accountCount: z.number().int().nullable(),
  earliestHistoryDate: z.string().nullable(),
  findingCounts: z.object({ attention: z.number().int(), info: z.number().int() }).nullable(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

/** The agencies an officer shares audit copies with, by Plaid's auditor id, as the officer calls them. */
export const AGENCY_AUDITORS: readonly { id: string; name: string }[] = [
  { id: 'fannie_mae', name: 'Fannie Mae' },
  { id: 'freddie_mac', name: 'Freddie Mac' },
];

/** The agency's name for a known auditor id; null for another auditor (its id is all AssetDesk knows of it). */
export function agencyName(auditorId: string): string | null {
  return AGENCY_AUDITORS.find((auditor) => auditor.id === auditorId)?.name ?? null;
}

export const AuditorId = z
  .string()
  .regex(/^[a-z0-9_]{2,64}$/, 'Choose the auditor from the list (Fannie Mae or Freddie Mac)');
export const AuditCopy = z.object({
  id,
  reportId: id,
  auditorId: z.string(),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});
export type AuditCopy = z.infer<typeof AuditCopy>;

export const ActivityEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  loanId: z.string().nullable(),
  applicantId: z.string().nullable(),
  reportId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  /** Who did it: the team member's database role; null on a desk's own history (its officer). */
  actor: z.string().nullable(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

export const CredentialState = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('configured'),
    /** Plaid refused the keys last offered to replace these (its reason); the saved keys are unchanged and in use. */
    replacementRejected: z.string().optional(),
  }),
  z.object({ state: z.literal('not_configured') }),
  z.object({ state: z.literal('rejected'), reason: z.string() }),
  /** Saved, but the keychain was locked while AssetDesk ran: out of reach until unlocked (`howToUnlock` says how). */
  z.object({ state: z.literal('locked'), howToUnlock: z.string() }),
]);
export type CredentialState = z.infer<typeof CredentialState>;

export const KeychainState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ok') }),
  z.object({ state: z.literal('unavailable'), message: z.string(), howToFix: z.string() }),
]);
export type KeychainState = z.infer<typeof KeychainState>;

/** Which agencies' document-age limits apply (see shared/underwriting/document-age.ts). */
export const DocumentAgeRule = z.enum(['fannie_4_months', 'freddie_120_days', 'both_agencies', 'du_45_days']);
export type DocumentAgeRule = z.infer<typeof DocumentAgeRule>;

/** How a report's readiness reaches AssetDesk, and what the officer must give Plaid for webhooks. */
export const WebhookDelivery = z.object({
  mode: z.enum(['polling', 'webhook']),
  /** The URL AssetDesk puts in its requests for Plaid to call (the public URL), or null when polling. */
  plaidUrl: z.string().nullable(),
  /** Where the officer's public URL must forward to on this computer (null while the receiver is off). */
  localUrl: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** Plaid caps a Hosted Link URL's lifetime at 21 days. */
export const HOSTED_LINK_MAX_LIFETIME_SECONDS = 21 * 24 * 3600;

export const Settings = z.object({
  environment: PlaidEnvironment,
  credentials: z.object({ sandbox: CredentialState, production: CredentialState }),
  webhook: z.object({ enabled: z.boolean(), publicUrl: z.string().nullable() }),
  webhookDelivery: WebhookDelivery,
  /** OAuth redirect URIs registered in the officer's Plaid dashboard (null: none, Link uses pop-ups only). */
  oauthRedirectUri: z.object({ sandbox: z.string().nullable(), production: z.string().nullable() }),
  hostedLinkLifetimeSeconds: z.number().int(),
  retentionDays: z.number().int().nullable(),
  largeDepositShare: z.number(),
  documentAgeRule: DocumentAgeRule,
  /** Whether reports are fetched with Plaid's insights, per environment (off when the client has none). */
  insights: z.object({ emulator: z.boolean(), sandbox: z.boolean(), production: z.boolean() }),
});
export type Settings = z.infer<typeof Settings>;

/** The large-deposit share as the officer may enter it: at most two decimals of a percent (12.34% = 0.1234). */
export function atMostTwoPercentDecimals(share: number): boolean {
  // A typed percent divided by 100 carries binary noise (12.34 / 100 = 0.12340000000000001): that is still 12.34%.
  const basisPoints = share * 10_000;
  return Math.abs(basisPoints - Math.round(basisPoints)) < 1e-6;
}
export const LARGE_DEPOSIT_SHARE_DECIMALS =
  'the large-deposit share takes at most two decimals of a percent (for example 12.35%)';

/** Plaid takes an https redirect URI in every environment, and plain http only to localhost in Sandbox. */
function redirectUriAllowed(environment: 'sandbox' | 'production', uri: string): boolean {
  // Other schemes (and text that is no address) are refused by the URL rule itself.
  if (!/^http:/i.test(uri)) return true;
  // The host must be exactly localhost: not localhost.evil.example, nor localhost@evil.example (host evil.example).
  return environment === 'sandbox' && /^http:\/\/localhost(?::\d{1,5})?(?:\/|$)/i.test(uri);
}

/** The longest address a setting takes: what browsers and Plaid's dashboard accept in practice. */
export const MAX_URL_LENGTH = 2048;

export const SettingsChanges = z.strictObject({
  webhook: z
    .strictObject({
      enabled: z.boolean(),
      publicUrl: z
        .url({ protocol: /^https$/, error: 'the public webhook URL must be https' })
        .max(MAX_URL_LENGTH, `the public webhook URL is at most ${MAX_URL_LENGTH} characters`)
        .nullable(),
    })
    .optional(),
  retentionDays: z.number().int().min(1).max(36_500).nullable().optional(),
  largeDepositShare: z.number().gt(0).max(5).refine(atMostTwoPercentDecimals, LARGE_DEPOSIT_SHARE_DECIMALS).optional(),
  documentAgeRule: DocumentAgeRule.optional(),
  oauthRedirectUri: z
    .strictObject({
      environment: z.enum(['sandbox', 'production']),
      // Plaid's rule: https (Sandbox also allows http://localhost), no query string, no fragment.
      uri: z
        .url({ protocol: /^https?$/, error: 'the redirect URI must be an https address' })
        .max(500)
        .refine((uri) => !uri.includes('?') && !uri.includes('#'), 'the redirect URI cannot have a ? or #')
        .nullable(),
    })
    .superRefine(({ environment, uri }, context) => {
      if (uri === null || redirectUriAllowed(environment, uri)) return;
      context.addIssue({
        code: 'custom',
        path: ['uri'],
        message:
          environment === 'sandbox'
            ? 'the redirect URI must be https (Sandbox also allows http://localhost)'
            : 'the redirect URI must be an https address',
      });
    })
    .optional(),
  hostedLinkLifetimeSeconds: z.number().int().min(600).max(HOSTED_LINK_MAX_LIFETIME_SECONDS).optional(),
  insights: z.strictObject({ environment: PlaidEnvironment, enabled: z.boolean() }).optional(),
});
export type SettingsChanges = z.infer<typeof SettingsChanges>;

/** What the officer confirmed about an account so it counts in funds to close (see shared/underwriting). */
export const AccountConfirmationKind = z.enum(['ownership', 'business_review', 'conversion']);
export const StoredAccountConfirmation = z.object({
  accountKey: z.string(),
  kind: AccountConfirmationKind,
  note: z.string(),
  usdRate: z.number().nullable(),
  confirmedAt: z.string(),
});
export type StoredAccountConfirmation = z.infer<typeof StoredAccountConfirmation>;

/** The lender's asset-class settings; agency defaults in DEFAULT_UNDERWRITING_SETTINGS. */
export const AssetClassSettings = z.object({
  retirementDiscount: z.number(),
  brokerageShare: z.number(),
  hsaTreatment: z.enum(['excluded', 'full', 'retirement']),
  transferMatchBusinessDays: z.number().int(),
});
export type AssetClassSettings = z.infer<typeof AssetClassSettings>;
export const AssetClassSettingsChanges = z.strictObject({
  retirementDiscount: z.number().min(0).max(1).optional(),
  brokerageShare: z.number().min(0).max(1).optional(),
  hsaTreatment: z.enum(['excluded', 'full', 'retirement']).optional(),
  transferMatchBusinessDays: z.number().int().min(0).max(10).optional(),
});
export type AssetClassSettingsChanges = z.infer<typeof AssetClassSettingsChanges>;

/** Progress of a report being generated at Plaid, pushed to the renderer. */
export const ReportProgress = z.object({
  reportId: id,
  loanId: id,
  applicantId: id,
  status: ReportStatus,
  elapsedMs: z.number(),
  message: z.string().optional(),
});
export type ReportProgress = z.infer<typeof ReportProgress>;

export const DAYS_REQUESTED_PRESETS = [61, 90, 180, 365, 730] as const;

import { z } from 'zod';

/** Schemas for what the officer sees and sends. Plaid's own report JSON is typed in asset-report.ts. */

export const PlaidEnvironment = z.enum(['emulator', 'sandbox', 'production']);
export type PlaidEnvironment = z.infer<typeof PlaidEnvironment>;

export const LoanPurpose = z.enum(['purchase', 'refinance']);
export type LoanPurpose = z.infer<typeof LoanPurpose>;

const id = z.string().min(1).max(64);

/**
 * The lender's limits on what an officer may type for an applicant. Defaults a lender would set;
 * `applicantInputSchema(limits)` builds the same rules around other numbers.
 */
export interface ApplicantLimits {
  /** How far back an application date may lie, in days (a typo like 2016 for 2026 is caught). */
  applicationDateMaxAgeDays: number;
  maxMonthlyIncome: number;
  maxFundsToClose: number;
  maxReserves: number;
}
export const DEFAULT_APPLICANT_LIMITS: ApplicantLimits = {
  applicationDateMaxAgeDays: 366,
  maxMonthlyIncome: 5_000_000,
  maxFundsToClose: 50_000_000,
  maxReserves: 50_000_000,
};

/** Longest text each applicant field takes; the form's inputs carry the same maxLength. */
export const APPLICANT_MAX_LENGTH = {
  firstName: 100,
  middleName: 100,
  lastName: 100,
  email: 254,
  phone: 30,
  loanNumber: 40,
  ssn: 11,
} as const;

/** The labels the applicant form shows; every message names the field this way. */
export const APPLICANT_LABELS = {
  firstName: 'First name',
  middleName: 'Middle name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
  loanNumber: 'Loan number',
  loanPurpose: 'Loan purpose',
  applicationDate: 'Application date',
  qualifyingMonthlyIncome: 'Qualifying monthly income',
  fundsToClose: 'Funds to close',
  reservesNeeded: 'Reserves needed',
  ssn: 'Social Security number',
} as const;

/**
 * A US number as people write it — (415) 555-0134, 415-555-0134, 415.555.0134, +1 415 555 0134,
 * 1-415-555-0134 — or any E.164 number (+ and 8 to 15 digits), as E.164 (`+14155550134`); null if
 * it is not a callable number (7 digits without an area code, a 0/1 area code or exchange).
 */
export function normalizePhone(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  const international = trimmed.startsWith('+');
  let national: string | null = null;
  if (!international && digits.length === 10) national = digits;
  else if (digits.length === 11 && digits.startsWith('1')) national = digits.slice(1);
  if (national !== null) return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? `+1${national}` : null;
  if (international && /^[2-9]\d{7,14}$/.test(digits)) return `+${digits}`;
  return null;
}

/** A stored phone number for display: US numbers as (415) 555-0134, others as stored. */
export function formatPhone(phone: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : phone;
}

/**
 * 123-45-6789 or 123456789, as 123-45-6789; a reason otherwise. The SSA never issues area 000, 666 or
 * 900–999, group 00 or serial 0000.
 */
export function checkSsn(text: string): { ssn: string } | { problem: string } {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(text.trim());
  if (!m) return { problem: 'Social Security number must have 9 digits, like 123-45-6789' };
  const [, area, group, serial] = m as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || area.startsWith('9'))
    return { problem: `Social Security number can’t start with ${area}; check the number` };
  if (group === '00') return { problem: 'Social Security number can’t have 00 in the middle; check the number' };
  if (serial === '0000') return { problem: 'Social Security number can’t end in 0000; check the number' };
  return { ssn: `${area}-${group}-${serial}` };
}

/** Today in this computer's time zone, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function isRealDate(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;

function requiredText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is too long (${max} characters at most)`);
}

function amount(label: string, max: number) {
  return z
    .number({ error: `${label} must be an amount in dollars, like 5250` })
    .finite(`${label} must be an amount in dollars, like 5250`)
    .min(0, `${label} can’t be negative`)
    .max(max, `${label} can’t be more than ${dollars(max)}; check the amount`);
}

/**
 * The applicant's details with the lender's limits. `checkDateWindow: false` keeps every rule but the
 * application date's age window (the store re-checks saved rows, which age).
 */
export function applicantInputSchema(limits: ApplicantLimits = DEFAULT_APPLICANT_LIMITS, checkDateWindow = true) {
  const L = APPLICANT_LABELS;
  const M = APPLICANT_MAX_LENGTH;
  let applicationDate = z
    .string({ error: 'Application date is required' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Application date must be a date, like 2026-11-07')
    .refine(isRealDate, 'Application date is not a real calendar date');
  if (checkDateWindow) {
    applicationDate = applicationDate
      .refine((day) => day <= localToday(), 'Application date can’t be in the future')
      .refine(
        (day) => day >= daysBefore(localToday(), limits.applicationDateMaxAgeDays),
        `Application date is more than ${Math.round(limits.applicationDateMaxAgeDays / 30.4)} months ago; check the year`,
      );
  }
  return z.strictObject({
    firstName: requiredText(L.firstName, M.firstName),
    middleName: z
      .string({ error: `${L.middleName} must be text` })
      .trim()
      .max(M.middleName, `${L.middleName} is too long (${M.middleName} characters at most)`)
      .optional(),
    lastName: requiredText(L.lastName, M.lastName),
    email: z
      .string({ error: 'E-mail is required' })
      .trim()
      .min(1, 'E-mail is required')
      .max(M.email, `E-mail is too long (${M.email} characters at most)`)
      .pipe(z.email('Enter the e-mail address like name@example.com')),
    phone: z
      .string({ error: 'Phone is required' })
      .trim()
      .min(1, 'Phone is required')
      .max(M.phone, `Phone is too long (${M.phone} characters at most)`)
      .transform((text, ctx) => {
        const phone = normalizePhone(text);
        if (phone === null) {
          ctx.addIssue({
            code: 'custom',
            message: 'Enter the phone number with its area code, like (415) 555-0134 or +1 415 555 0134',
          });
          return z.NEVER;
        }
        return phone;
      }),
    loanNumber: requiredText(L.loanNumber, M.loanNumber).regex(
      /^[A-Za-z0-9-]*$/,
      'Loan number may use only letters, digits and dashes',
    ),
    loanPurpose: z.enum(LoanPurpose.options, { error: 'Choose the loan purpose: purchase or refinance' }),
    applicationDate,
    qualifyingMonthlyIncome: amount(L.qualifyingMonthlyIncome, limits.maxMonthlyIncome),
    fundsToClose: amount(L.fundsToClose, limits.maxFundsToClose),
    reservesNeeded: amount(L.reservesNeeded, limits.maxReserves).default(0),
    ssn: z
      .string({ error: 'Social Security number must be text, like 123-45-6789' })
      .max(M.ssn, 'Social Security number is too long; it has 9 digits, like 123-45-6789')
      .transform((text, ctx) => {
        const checked = checkSsn(text);
        if ('problem' in checked) {
          ctx.addIssue({ code: 'custom', message: checked.problem });
          return z.NEVER;
        }
        return checked.ssn;
      })
      .optional(),
  });
}

/** What the officer sends for an applicant (the IPC contract validates with it). */
export const ApplicantInput = applicantInputSchema();
export type ApplicantInput = z.input<typeof ApplicantInput>;
/** The same rules for a row already saved: its application date may have aged past the window. */
export const SavedApplicantInput = applicantInputSchema(DEFAULT_APPLICANT_LIMITS, false);

/** The officer's PIN that ends a hand-off to an applicant: digits only, so any keyboard can type it. */
export const OfficerPin = z
  .string({ error: 'Officer PIN must be 4 to 12 digits' })
  .regex(/^\d{4,12}$/, 'Officer PIN must be 4 to 12 digits');

/** Whether an officer PIN is set and which applicant, if any, holds the computer now. */
export const HandoffStatus = z.object({
  pinSet: z.boolean(),
  active: z.object({ applicantId: id, itemId: id.nullable() }).nullable(),
});
export type HandoffStatus = z.infer<typeof HandoffStatus>;

export const ApplicantStatus = z.enum(['no_report', 'pending', 'ready', 'refresh_due', 'needs_relink']);
export type ApplicantStatus = z.infer<typeof ApplicantStatus>;

export const Applicant = z.object({
  id,
  firstName: z.string(),
  middleName: z.string().nullable(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string(),
  loanNumber: z.string(),
  loanPurpose: LoanPurpose,
  applicationDate: z.string(),
  qualifyingMonthlyIncome: z.number(),
  fundsToClose: z.number(),
  reservesNeeded: z.number(),
  /** Masked for display, e.g. ***-**-1234; the full SSN never leaves the main process. */
  ssnMasked: z.string().nullable(),
  /** True when an SSN is on file but its stored value failed its integrity check: the officer must re-enter it. */
  ssnUnreadable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Applicant = z.infer<typeof Applicant>;

export const ApplicantListRow = Applicant.extend({
  status: ApplicantStatus,
  reportCount: z.number().int(),
  /** No report now, but some were made and removed (so not "No report yet"). */
  reportsRemoved: z.boolean(),
  latestReportAt: z.string().nullable(),
  findingCounts: z.object({ attention: z.number().int(), info: z.number().int() }).nullable(),
});
export type ApplicantListRow = z.infer<typeof ApplicantListRow>;

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
  accounts: z.array(LinkedAccount),
});
export type Item = z.infer<typeof Item>;

export const ReportStatus = z.enum(['pending', 'ready', 'failed', 'removed']);
export type ReportStatus = z.infer<typeof ReportStatus>;
export const ReportKind = z.enum(['create', 'refresh', 'filter']);
export type ReportKind = z.infer<typeof ReportKind>;

export const ReportSummary = z.object({
  id,
  applicantId: id,
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
  applicantId: z.string().nullable(),
  reportId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

export const CredentialState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('configured') }),
  z.object({ state: z.literal('not_configured') }),
  z.object({ state: z.literal('rejected'), reason: z.string() }),
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

export const SettingsChanges = z.strictObject({
  webhook: z
    .strictObject({
      enabled: z.boolean(),
      publicUrl: z.url({ protocol: /^https$/, error: 'the public webhook URL must be https' }).nullable(),
    })
    .optional(),
  retentionDays: z.number().int().min(1).max(36_500).nullable().optional(),
  largeDepositShare: z.number().gt(0).max(5).optional(),
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
  applicantId: id,
  status: ReportStatus,
  elapsedMs: z.number(),
  message: z.string().optional(),
});
export type ReportProgress = z.infer<typeof ReportProgress>;

export const DAYS_REQUESTED_PRESETS = [61, 90, 180, 365, 730] as const;
export const MIN_DAYS_FOR_PURPOSE: Record<LoanPurpose, number> = { purchase: 61, refinance: 31 };

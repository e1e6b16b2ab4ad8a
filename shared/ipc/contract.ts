import { z } from 'zod';
import type { AppErrorShape } from '../errors';
import { teamChannels, teamEvents } from './team-contract';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  methodName,
  type ChannelName,
  type EventNameOnly,
  type MethodName,
} from './channels';
import {
  ActivityEntry,
  ApplicantStatus,
  BorrowerInput,
  DAYS_REQUESTED_MAX,
  DAYS_REQUESTED_MIN,
  Loan,
  LoanListRow,
  LoanStatus,
  LoanTermsInput,
  NewLoanInput,
  PipelineSort,
  AuditCopy,
  AuditorId,
  HostedLinkDeliveryMethod,
  HostedLinkSession,
  HostedLinkStatus,
  Item,
  KeychainState,
  PlaidEnvironment,
  ReportProgress,
  ReportStatus,
  ReportSummary,
  AccountConfirmationKind,
  AssetClassSettings,
  AssetClassSettingsChanges,
  Settings,
  SettingsChanges,
  StoredAccountConfirmation,
  HandoffStatus,
  OfficerPin,
} from '../domain';

/**
 * The one IPC contract. Every channel the renderer may call, with its request and response
 * schemas. The preload, the main-process registration and the web bridge are all derived from
 * this map, so the transports cannot drift. Requests are strict: unknown fields are rejected.
 */

const id = z.string().min(1).max(64);
/** How many accounts one filtered report may leave out. */

export const MAX_ACCOUNTS_TO_EXCLUDE = 100;
/** How many deposits one sourcing note may cover: a split group is a week of one payer's deposits. */
export const MAX_DEPOSITS_SOURCED_TOGETHER = 500;
const transactionId = z.string().min(1).max(64);
/** What was sourced together, for the activity log: a split group's deposits, or a possible gift. */
export const SourcedTogether = z.enum(['split_deposit', 'possible_gift']);
export type SourcedTogether = z.infer<typeof SourcedTogether>;
const sourcedTogether = {
  reportId: id,
  what: SourcedTogether,
  transactionIds: z
    .array(transactionId)
    .min(1, 'name at least one deposit')
    .max(MAX_DEPOSITS_SOURCED_TOGETHER, `Source at most ${MAX_DEPOSITS_SOURCED_TOGETHER} deposits at a time`)
    .refine((ids) => new Set(ids).size === ids.length, 'each deposit once'),
};
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const none = z.strictObject({});
const ok = z.object({ ok: z.literal(true) });
const bytes = z.instanceof(Uint8Array);
export const BackupStatus = z.object({
  lastBackupAt: z.string().nullable(),
  lastBackupPath: z.string().nullable(),
  reminderDays: z.number().int(),
  /** No backup for reminderDays (or never, once there is history). */
  reminderDue: z.boolean(),
  /** A recovery key exists and the officer confirmed keeping it. */
  recoveryKeySaved: z.boolean(),
  /** A recovery key exists, confirmed or not: making another one replaces it. */
  recoveryKeyMade: z.boolean(),
  /** The history exists but the data key is missing: only the recovery key (or a restore) opens it. */
  needsRecoveryKey: z.boolean(),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

/** Start-up work running behind the open window (pending reports checked with Plaid, retention), told to the officer. */
export const BackgroundWork = z.object({
  task: z.enum(['resumingReports', 'retention']),
  /** How many reports the step covers. */
  count: z.number().int().nonnegative(),
  /** 'failed' stays on screen: the step will be tried again later. */
  state: z.enum(['running', 'failed']),
  message: z.string(),
});
export type BackgroundWork = z.infer<typeof BackgroundWork>;

const saveResult = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), path: z.string() }),
  z.object({ saved: z.literal(false) }),
]);
/** An opaque id the main process gives a file it saved this session: the page shows it in its folder by this id. */
const receipt = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'expected a saved-file receipt');
const savedFileResult = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), path: z.string(), receipt }),
  z.object({ saved: z.literal(false) }),
]);

export const LinkMetadata = z.strictObject({
  institution: z.strictObject({ institution_id: z.string().min(1).max(64), name: z.string().min(1).max(200) }),
  accounts: z
    .array(
      // Strict like every request: a field Link never sends is refused, not silently dropped.
      z.strictObject({
        id: z.string().min(1).max(64),
        name: z.string().max(200),
        mask: z.string().max(8).nullable(),
        type: z.string().max(40),
        subtype: z.string().max(60).nullable(),
      }),
    )
    .max(100),
  link_session_id: z.string().max(100),
});

function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const contract = {
  'app:info': channel(
    none,
    z.object({
      version: z.string(),
      environment: PlaidEnvironment,
      keychain: KeychainState,
      transport: z.enum(['electron', 'web-bridge']),
      /** Start-up work still running (or failed) in the background; null when there is none. */
      backgroundWork: BackgroundWork.nullable(),
    }),
  ),

  'settings:get': channel(none, Settings),
  'settings:update': channel(SettingsChanges, Settings),
  'settings:switchEnvironment': channel(z.strictObject({ environment: PlaidEnvironment }), Settings),
  'credentials:save': channel(
    z.strictObject({
      environment: z.enum(['sandbox', 'production']),
      clientId: z
        .string()
        .trim()
        .regex(/^[a-f0-9]{24}$/i, 'a Plaid client_id is 24 hexadecimal characters'),
      secret: z
        .string()
        .trim()
        .regex(/^[a-f0-9]{30}$/i, 'a Plaid secret is 30 hexadecimal characters'),
    }),
    Settings,
  ),
  'credentials:clear': channel(z.strictObject({ environment: z.enum(['sandbox', 'production']) }), Settings),

  // ── Loan files: a loan and its borrowers (issue 15) ─────────────────────────────────────────
  /** The pipeline: one row per loan, filtered and sorted in the store. */
  'loans:list': channel(
    z.strictObject({
      query: z.string().max(200, 'Search is too long (200 characters at most)').optional(),
      loanStatus: LoanStatus.optional(),
      reportStatus: ApplicantStatus.optional(),
      needsAttention: z.boolean().optional(),
      refreshDueWithinDays: z
        .number({ error: 'Refresh due within must be a number of days' })
        .int('Refresh due within must be whole days')
        .min(0, 'Refresh due within can’t be negative')
        .max(366, 'Refresh due within is at most 366 days')
        .optional(),
      sort: PipelineSort.optional(),
      direction: z.enum(['asc', 'desc']).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    z.object({ rows: z.array(LoanListRow), total: z.number().int() }),
  ),
  'loans:get': channel(
    z.strictObject({ loanId: id }),
    z.object({ loan: Loan, items: z.array(Item), reports: z.array(ReportSummary) }),
  ),
  /** The file that already has this loan number, so the form can offer to open it instead of a duplicate. */
  'loans:findByNumber': channel(
    z.strictObject({ loanNumber: z.string().trim().min(1).max(40) }),
    z.object({ loanId: id, loanNumber: z.string(), borrowerNames: z.string() }).nullable(),
  ),
  'loans:create': channel(NewLoanInput, Loan),
  'loans:update': channel(z.strictObject({ loanId: id, changes: LoanTermsInput.partial() }), Loan),
  /** Closed or withdrawn starts the retention clock; open again stops it. */
  'loans:setStatus': channel(z.strictObject({ loanId: id, status: LoanStatus }), Loan),
  'loans:delete': channel(z.strictObject({ loanId: id }), ok),
  /**
   * Funds to close over the loan's current ready reports together, each account once: the figure each report's
   * screen shows as the loan's. `funds` is null while no report is ready.
   */
  'loans:fundsToClose': channel(
    z.strictObject({ loanId: id }),
    z.object({
      /** The reports the figure adds, with the borrowers whose banks each covers. */
      reports: z.array(z.object({ reportId: id, applicantName: z.string(), reportDate: z.string() })),
      funds: z
        .object({
          verifiedLiquidAssets: z.number(),
          unsourcedDeducted: z.number(),
          availableFunds: z.number(),
          required: z.number(),
          surplus: z.number(),
          shortfall: z.number(),
          sharedAccounts: z.number().int(),
        })
        .nullable(),
    }),
  ),
  'loans:export': channel(
    z.strictObject({ loanId: id }),
    z.discriminatedUnion('saved', [
      z.object({ saved: z.literal(true), folder: z.string(), files: z.array(z.string()), receipt }),
      z.object({ saved: z.literal(false) }),
    ]),
  ),
  'borrowers:add': channel(z.strictObject({ loanId: id, borrower: BorrowerInput }), Loan),
  'borrowers:update': channel(z.strictObject({ applicantId: id, changes: BorrowerInput.partial() }), Loan),
  /** A co-borrower leaves the file with their banks; refused while a report covers their banks. */
  'borrowers:remove': channel(z.strictObject({ applicantId: id }), Loan),

  // The hand-off lock: the applicant's mode ends only with the officer's PIN (features/handoff.ts).
  'handoff:status': channel(none, HandoffStatus),
  'handoff:setPin': channel(
    z.strictObject({
      pin: OfficerPin,
      currentPin: z.string().max(12, 'Current PIN is at most 12 digits').optional(),
    }),
    HandoffStatus,
  ),
  'handoff:start': channel(z.strictObject({ applicantId: id, itemId: id.optional() }), HandoffStatus),
  'handoff:end': channel(
    z.strictObject({ pin: z.string().min(1, 'Enter the officer PIN').max(12, 'Officer PIN is at most 12 digits') }),
    HandoffStatus,
  ),
  /** Ends the hand-off with the OS's check of the officer (Touch ID), where the computer has one. */
  'handoff:endWithOs': channel(none, HandoffStatus),

  'link:createToken': channel(
    z.strictObject({ applicantId: id, itemId: id.optional() }),
    z.object({ linkToken: z.string(), expiration: z.string(), scriptUrl: z.url(), updateMode: z.boolean() }),
  ),
  'link:complete': channel(
    z.strictObject({ applicantId: id, publicToken: z.string().min(1).max(200), metadata: LinkMetadata }),
    Item,
  ),
  'link:updateComplete': channel(z.strictObject({ itemId: id }), Item),
  /** The borrower left Link without finishing (Link's onExit): `linkToken` says which Link, as link:createToken made it. */
  'link:exited': channel(
    z.strictObject({ applicantId: id, itemId: id.optional(), linkToken: z.string().min(1).max(200) }),
    ok,
  ),
  'link:createHosted': channel(
    z.strictObject({ applicantId: id, deliveryMethod: HostedLinkDeliveryMethod.optional() }),
    z.object({ hostedLinkId: id, url: z.url(), expiration: z.string() }),
  ),
  'link:hostedStatus': channel(
    z.strictObject({ hostedLinkId: id }),
    z.object({
      status: HostedLinkStatus,
      items: z.array(Item),
    }),
  ),
  'link:hostedSessions': channel(z.strictObject({ applicantId: id }), z.array(HostedLinkSession)),
  'link:revokeHosted': channel(z.strictObject({ hostedLinkId: id }), HostedLinkSession),
  'items:remove': channel(z.strictObject({ itemId: id }), ok),

  'reports:create': channel(
    z.strictObject({
      /** The report belongs to the loan and may combine several borrowers' banks. */
      loanId: id,
      itemIds: z.array(id).min(1, 'choose at least one linked bank').max(99),
      daysRequested: z.number().int().min(DAYS_REQUESTED_MIN).max(DAYS_REQUESTED_MAX),
      includeApplicantDetails: z.boolean(),
      /** Plaid's require_all_items: true (default) fails the report when one bank fails; false leaves that bank out. */
      requireAllItems: z.boolean().optional(),
      /** Plaid's Fast Assets add-on: a first look (balances, owners) before the full report. */
      fastAssets: z.boolean().optional(),
    }),
    ReportSummary,
  ),
  'reports:search': channel(
    z.strictObject({
      query: z.string().max(200).optional(),
      institution: z.string().max(200).optional(),
      status: ReportStatus.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    z.object({ rows: z.array(ReportSummary), total: z.number().int() }),
  ),
  /**
   * Plaid's report JSON (with insights) as text: an AssetReportGetResult (shared/asset-report) once parsed.
   * Text, because 50,000 transactions are tens of MB: a string crosses IPC and the bridge without a
   * parse, object walk and re-serialisation on each side; the renderer parses it once.
   */
  'reports:get': channel(
    z.strictObject({ reportId: id }),
    z.object({ summary: ReportSummary, contentJson: z.string() }),
  ),
  /**
   * The report as the viewer paints it: one binary block prepared when the report was stored (the report
   * without its transactions as JSON, the transactions as typed-array columns; see shared/report-view).
   */
  // The whole view, or its first screen (the newest transactions; the report screen paints from it first).
  'reports:view': channel(
    z.strictObject({ reportId: id, part: z.enum(['whole', 'firstScreen']).optional() }),
    z.object({ summary: ReportSummary, view: bytes }),
  ),
  'reports:pdf': channel(z.strictObject({ reportId: id }), z.object({ pdf: bytes })),
  'reports:refresh': channel(
    z.strictObject({
      reportId: id,
      daysRequested: z.number().int().min(DAYS_REQUESTED_MIN).max(DAYS_REQUESTED_MAX).optional(),
    }),
    ReportSummary,
  ),
  'reports:filter': channel(
    z.strictObject({
      reportId: id,
      // Plaid states no limit; a report rarely holds more than a few dozen accounts, and one filter is one request.
      accountIdsToExclude: z
        .array(z.string().min(1).max(64))
        .min(1, 'choose at least one account to exclude')
        .max(MAX_ACCOUNTS_TO_EXCLUDE, `Leave out at most ${MAX_ACCOUNTS_TO_EXCLUDE} accounts at a time`),
    }),
    ReportSummary,
  ),
  'reports:remove': channel(z.strictObject({ reportId: id }), ok),
  'reports:export': channel(
    z.strictObject({
      reportId: id,
      format: z.enum(['pdf', 'json', 'csv']),
      withCoverPage: z.boolean().optional(),
    }),
    savedFileResult,
  ),

  // ── Reads that fit the report screens (services) ────────────────────────────────────────────
  /** One report's summary by id, whatever its status (pending, ready, failed or removed). */
  'reports:summary': channel(z.strictObject({ reportId: id }), ReportSummary),

  'auditCopies:list': channel(z.strictObject({ reportId: id }), z.array(AuditCopy)),
  'auditCopies:create': channel(z.strictObject({ reportId: id, auditorId: AuditorId }), AuditCopy),
  /** The token is a secret: the main process puts it on the clipboard; the renderer never sees it. */
  'auditCopies:copyToken': channel(z.strictObject({ auditCopyId: id }), ok),
  'auditCopies:remove': channel(z.strictObject({ auditCopyId: id }), ok),

  'deposits:markSourced': channel(
    z.strictObject({
      reportId: id,
      transactionId: z.string().min(1).max(64),
      note: z.string().trim().min(1).max(1000),
    }),
    ok,
  ),
  'deposits:unmarkSourced': channel(z.strictObject({ reportId: id, transactionId: z.string().min(1).max(64) }), ok),
  /** One note recorded on every deposit named (all or none), and one activity entry saying what they were. */
  'deposits:markSourcedTogether': channel(
    z.strictObject({ ...sourcedTogether, note: z.string().trim().min(1).max(1000) }),
    ok,
  ),
  /** The notes of every deposit named withdrawn (all or none), here and on the reports they were carried from. */
  'deposits:unmarkSourcedTogether': channel(z.strictObject(sourcedTogether), ok),
  'deposits:listSourced': channel(
    z.strictObject({ reportId: id }),
    z.array(z.object({ transactionId: z.string(), note: z.string(), markedAt: z.string() })),
  ),

  // The officer's confirmations that count an account, and the lender's asset-class settings (issue 13).
  'underwriting:listConfirmations': channel(z.strictObject({ loanId: id }), z.array(StoredAccountConfirmation)),
  'underwriting:confirmAccount': channel(
    z.strictObject({
      loanId: id,
      accountKey: z.string().min(1).max(200),
      kind: AccountConfirmationKind,
      note: z.string().trim().min(1).max(1000),
      usdRate: z.number().finite().gt(0).max(1_000_000).nullable().optional(),
    }),
    ok,
  ),
  'underwriting:withdrawConfirmation': channel(
    z.strictObject({ loanId: id, accountKey: z.string().min(1).max(200), kind: AccountConfirmationKind }),
    ok,
  ),
  /**
   * The loan's other ready reports, trimmed to accounts and withdrawals (a transfer's other leg), as JSON text; and
   * its other current reports' funds to close, account by account (added to this report's, each account once).
   */
  'underwriting:otherReports': channel(
    z.strictObject({ reportId: id }),
    z.object({
      reportsJson: z.string(),
      reportFunds: z.array(
        z.object({
          reportId: z.string(),
          reportDate: z.string(),
          accounts: z.array(z.object({ accountKey: z.string(), counted: z.number(), unsourced: z.number() })),
        }),
      ),
    }),
  ),
  'underwriting:getSettings': channel(none, AssetClassSettings),
  'underwriting:updateSettings': channel(AssetClassSettingsChanges, AssetClassSettings),

  'activity:list': channel(
    z.strictObject({
      loanId: id.optional(),
      applicantId: id.optional(),
      reportId: id.optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    z.array(ActivityEntry),
  ),

  /**
   * Copies text the officer chose to copy (a Hosted Link URL) through the main process: the page
   * holds no clipboard permission. Plain text, one line, bounded.
   */
  'clipboard:writeText': channel(
    z.strictObject({
      text: z
        .string()
        .min(1)
        .max(2048)
        .regex(/^[^\n\r\0]*$/),
    }),
    ok,
  ),
  /** Reveals a file this session saved, by the receipt its save answered (never a path from the page). */
  'files:showInFolder': channel(z.strictObject({ receipt }), ok),

  // ── Backup, restore and key recovery (issue 14) ──────────────────────────────────────────────
  'backup:status': channel(none, BackupStatus),
  'backup:create': channel(none, saveResult),
  /**
   * Restores a backup file the officer picks, after checking the file and its key; a backup made under another
   * data key (another computer, a lost keychain) opens with the recovery key that was current when it was made.
   */
  'backup:restore': channel(
    z.strictObject({
      recoveryKey: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z\s-]{32,48}$/, 'a recovery key is 8 groups of 4 letters and digits')
        .optional(),
    }),
    z.discriminatedUnion('restored', [
      z.object({
        restored: z.literal(true),
        path: z.string(),
        loans: z.number().int(),
        reports: z.number().int(),
      }),
      z.object({ restored: z.literal(false) }),
    ]),
  ),
  'backup:setReminder': channel(z.strictObject({ days: z.number().int().min(1).max(365) }), BackupStatus),
  /** A new recovery key, shown once; the app keeps only the data key wrapped by it. */
  'recovery:newKey': channel(none, z.object({ recoveryKey: z.string() })),
  'recovery:confirmSaved': channel(none, BackupStatus),
  'recovery:unlock': channel(
    z.strictObject({
      recoveryKey: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z\s-]{32,48}$/, 'a recovery key is 8 groups of 4 letters and digits'),
    }),
    ok,
  ),
  'keychain:retry': channel(none, z.object({ keychain: KeychainState })),
  ...teamChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

/** Events pushed from the main process to the renderer (payload only, never an event object). */
export const events = {
  /** A report's status changed; `summary` is the report as it now stands (no second read needed). */
  'report:progress': ReportProgress.extend({ summary: ReportSummary }),
  'link:hostedFinished': z.object({
    hostedLinkId: id,
    loanId: id,
    applicantId: id,
    status: z.enum(['completed', 'exited', 'expired']),
  }),
  /**
   * An OAuth bank sent Link's pop-up to the officer's redirect URI: the page re-creates Link with the
   * same link token and this full URL as `receivedRedirectUri`.
   */
  'link:oauthReturned': z.object({
    // Same rule as the registered URI (https; Sandbox also allows http://localhost), plus Plaid's state.
    receivedRedirectUri: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .refine((uri) => uri.includes('oauth_state_id='), 'the address carries no OAuth state'),
  }),
  /** The log file could not be written (full disk …): told once, the app keeps running. */
  'log:writeFailed': z.object({ failures: z.number().int(), message: z.string() }),
  /** Start-up work behind the window changed (null: all done). */
  'app:backgroundWork': z.object({ work: BackgroundWork.nullable() }),
  /**
   * The officer is back at the desk. Events about other loans were held back while the borrower had the
   * computer: the screens read their lists again.
   */
  'handoff:ended': z.object({}),
  ...teamEvents,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channelNames: readonly Channel[] = CHANNEL_NAMES;
export const eventNames: readonly EventName[] = EVENT_NAMES;
export { methodName, type MethodName };

// Compile-time proof that channels.ts names exactly the contract's channels and events.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListMatches: SameSet<ChannelName, Channel> = true;
const eventListMatches: SameSet<EventNameOnly, EventName> = true;
void channelListMatches;
void eventListMatches;

/** What every channel answers over either transport. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export type AssetDeskApi = {
  [C in Channel as MethodName<C>]: (request: RequestOf<C>) => Promise<ResponseOf<C>>;
} & {
  /** Subscribe to a main-process event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** What the main process implements: one function per channel, given an already-validated request. */
export type ContractHandlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

/** Where services publish events; the IPC layer and the web bridge each provide one. */
export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/**
 * What the preload (Electron) or the web bridge (development, tests) puts on `window.assetDesk`:
 * plain functions answering envelopes, so errors cross contextBridge intact. The renderer's client
 * unwraps them into AssetDeskApi.
 */
export type WindowApi = {
  [C in Channel as MethodName<C>]: (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

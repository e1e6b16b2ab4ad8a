import type { AssetDeskStore } from '../../db';
import type { Applicant, AssetClassSettings } from '../../../shared/domain';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import {
  analyzeInContext,
  buildAnalysisContext,
  readAssetReport,
  type AnalysisContext,
} from '../../../shared/underwriting';

type UnderwritingChannels =
  | 'underwriting:listConfirmations'
  | 'underwriting:confirmAccount'
  | 'underwriting:withdrawConfirmation'
  | 'underwriting:getNoteDate'
  | 'underwriting:setNoteDate'
  | 'underwriting:getSettings'
  | 'underwriting:updateSettings';

function assetClassSettings(store: AssetDeskStore): AssetClassSettings {
  const { retirementDiscount, brokerageShare, hsaTreatment, transferMatchBusinessDays } = store.settings.underwriting();
  return { retirementDiscount, brokerageShare, hsaTreatment, transferMatchBusinessDays };
}

/**
 * The analysis context for one report of an applicant, from what the store holds: lender settings, the deposits
 * sourced on this report or the reports it was refreshed/filtered from, and the applicant's account confirmations.
 * The main process's one way in to shared/underwriting's buildAnalysisContext (list counts, cover page, export).
 */
export function analysisContextFor(
  store: AssetDeskStore,
  applicant: Parameters<typeof buildAnalysisContext>[0]['applicant'] & Pick<Applicant, 'id'>,
  reportId: string,
  now: Date,
): AnalysisContext {
  return buildAnalysisContext({
    applicant,
    settings: store.settings.underwriting(),
    sourcedDeposits: store.sourcedDeposits.listCarried(reportId),
    accountConfirmations: store.accountConfirmations.list(applicant.id),
    expectedNoteDate: store.accountConfirmations.noteDate(applicant.id),
    now,
  });
}

/**
 * Re-counts the findings the applicant and report lists show, for every ready report of the applicant, after a
 * confirmation changed what counts. A report that cannot be read keeps its old counts.
 */
export function recountApplicantFindings(store: AssetDeskStore, applicantId: string, now: Date): void {
  const applicant = store.applicants.get(applicantId);
  if (!applicant) return;
  for (const environment of ['emulator', 'sandbox', 'production'] as const) {
    for (const summary of store.reports.listForApplicant(applicantId, environment)) {
      if (summary.status !== 'ready') continue;
      const read = readAssetReport(store.reports.readJson(summary.id));
      if (!read.ok) continue;
      const counts = analyzeInContext(read.result, analysisContextFor(store, applicant, summary.id, now)).counts;
      store.reports.setFindingCounts(summary.id, counts);
    }
  }
}

/** The IPC handlers for confirmations and asset-class settings: this feature's slice of ContractHandlers. */
export function underwritingConfirmationHandlers(deps: {
  store: () => AssetDeskStore;
  clock?: () => Date;
}): Pick<ContractHandlers, UnderwritingChannels> {
  const clock = deps.clock ?? (() => new Date());
  return {
    'underwriting:listConfirmations': async ({ applicantId }) =>
      deps
        .store()
        .accountConfirmations.list(applicantId)
        .map(({ accountKey, kind, note, usdRate, confirmedAt }) => ({
          accountKey,
          kind,
          note,
          usdRate: usdRate ?? null,
          confirmedAt,
        })),
    'underwriting:confirmAccount': async ({ applicantId, accountKey, kind, note, usdRate }) => {
      const store = deps.store();
      store.transaction(() => {
        store.accountConfirmations.confirm(applicantId, { accountKey, kind, note, usdRate: usdRate ?? null });
        store.activity.append({
          action: 'account_confirmed',
          applicantId,
          reportId: null,
          detail: { accountKey, kind, ...(usdRate ? { usdRate } : {}) },
        });
      });
      recountApplicantFindings(store, applicantId, clock());
      return { ok: true as const };
    },
    'underwriting:withdrawConfirmation': async ({ applicantId, accountKey, kind }) => {
      const store = deps.store();
      store.transaction(() => {
        store.accountConfirmations.withdraw(applicantId, accountKey, kind);
        store.activity.append({
          action: 'account_unconfirmed',
          applicantId,
          reportId: null,
          detail: { accountKey, kind },
        });
      });
      recountApplicantFindings(store, applicantId, clock());
      return { ok: true as const };
    },
    'underwriting:getNoteDate': async ({ applicantId }) => ({
      expectedNoteDate: deps.store().accountConfirmations.noteDate(applicantId),
    }),
    'underwriting:setNoteDate': async ({ applicantId, expectedNoteDate }) => {
      const store = deps.store();
      store.transaction(() => {
        store.accountConfirmations.setNoteDate(applicantId, expectedNoteDate);
        store.activity.append({
          action: 'note_date_set',
          applicantId,
          reportId: null,
          detail: { expectedNoteDate },
        });
      });
      recountApplicantFindings(store, applicantId, clock());
      return { ok: true as const };
    },
    'underwriting:getSettings': async () => assetClassSettings(deps.store()),
    'underwriting:updateSettings': async (changes) => {
      const store = deps.store();
      const next = { ...assetClassSettings(store), ...changes };
      store.settings.update('underwritingAssetClasses', next);
      return next;
    },
  };
}

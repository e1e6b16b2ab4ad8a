import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { AssetDeskStore } from '../../db';
import { REPORT_SENT } from '../reports/plaid-requests';

/**
 * In emulator mode each desk of a team runs its own built-in emulator on its own computer, which knows only the
 * tokens it made. What a desk sends to its emulator is recorded with the emulator's fingerprint (in the
 * request's activity entry), so another desk can tell, before calling its own emulator, that it cannot reach it.
 */
export function emulatorFingerprint(clientId: string): string {
  return createHash('sha256').update('assetdesk.emulator\u0000').update(clientId).digest('hex').slice(0, 16);
}

export const EMULATOR_ON_ANOTHER_DESK = 'EMULATOR_ON_ANOTHER_DESK';

/** Whose emulator made the report (its latest request sent to Plaid), when it is not `emulatorId`; null otherwise. */
export async function reportInAnotherEmulator(
  store: AssetDeskStore,
  emulatorId: string | null,
  reportId: string,
): Promise<{ by: string } | null> {
  if (!emulatorId) return null;
  const sent = (await store.activity.list({ reportId })).find((entry) => entry.action === REPORT_SENT);
  const made = sent?.detail.emulator;
  return typeof made === 'string' && made !== emulatorId ? { by: sent?.actor ?? 'another member' } : null;
}

/** Whose emulator made the audit copy, when it is not `emulatorId`; null otherwise. */
export async function auditCopyInAnotherEmulator(
  store: AssetDeskStore,
  emulatorId: string | null,
  copy: { id: string; reportId: string },
): Promise<{ by: string } | null> {
  if (!emulatorId) return null;
  const created = (await store.activity.list({ reportId: copy.reportId })).find(
    (entry) => entry.action === 'audit_copy_created' && entry.detail.auditCopyId === copy.id,
  );
  const made = created?.detail.emulator;
  return typeof made === 'string' && made !== emulatorId ? { by: created?.actor ?? 'another member' } : null;
}

/** Whose emulator the bank was linked in (its `item_linked` entry), when it is not `emulatorId`; null otherwise. */
export async function itemInAnotherEmulator(
  store: AssetDeskStore,
  emulatorId: string | null,
  itemId: string,
): Promise<{ by: string } | null> {
  if (!emulatorId) return null;
  const item = await store.items.get(itemId);
  if (!item || item.environment !== 'emulator') return null;
  const linked = (await store.activity.list({ applicantId: item.applicantId })).find(
    (entry) => entry.action === 'item_linked' && entry.detail.itemId === itemId,
  );
  const made = linked?.detail.emulator;
  return typeof made === 'string' && made !== emulatorId ? { by: linked?.actor ?? 'another member' } : null;
}

/** Whose emulator made the Hosted Link (its `hosted_link_created` entry), when it is not `emulatorId`; null otherwise. */
export async function hostedLinkInAnotherEmulator(
  store: AssetDeskStore,
  emulatorId: string | null,
  session: { id: string; applicantId: string },
): Promise<{ by: string } | null> {
  if (!emulatorId) return null;
  const created = (await store.activity.list({ applicantId: session.applicantId })).find(
    (entry) => entry.action === 'hosted_link_created' && entry.detail.hostedLinkId === session.id,
  );
  const made = created?.detail.emulator;
  return typeof made === 'string' && made !== emulatorId ? { by: created?.actor ?? 'another member' } : null;
}

/** The officer's refusal for what another desk's emulator made (`done`: made, linked): where to do it instead. */
export function emulatorOnAnotherDesk(what: string, found: { by: string }, action: string, done = 'made'): AppError {
  return new AppError({
    code: EMULATOR_ON_ANOTHER_DESK,
    message:
      `This ${what} was ${done} in the built-in emulator of ${found.by}'s desk, which only that desk can reach, ` +
      `so AssetDesk cannot ${action} here. Do it at ${found.by}'s desk, or have the team's admin switch the team ` +
      'to Plaid Sandbox (Settings → Plaid environment), which every desk reaches.',
    retryable: false,
  });
}

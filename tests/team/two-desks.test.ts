import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createTeamKeyring } from '../../electron/services/team/keys';
import {
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  startHarness,
  until,
  type CoreHarness,
} from '../core/harness';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { teamDeskFolder } from '../helpers/team-desks';

/**
 * Two desks of one team on one PostgreSQL, each a full services instance, sharing one Plaid (the
 * emulator, as two desks share Plaid itself): what one desk does shows at the other, a report is polled
 * by exactly one desk, and when that desk closes the other carries the report to the end, once.
 */
describe('two desks on one team database', () => {
  let db: TestDatabase;
  let emulator: RunningEmulator;
  const desks: CoreHarness[] = [];
  const folders: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = await startEmulator({
      readyAfterMs: 2_500,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      webhookRetryDelaysMs: [50, 100],
    });
  });
  afterAll(async () => {
    for (const desk of desks) await desk.close().catch(() => undefined);
    await emulator.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  async function desk(role: 'admin' | 'officer' | 'processor', name: string, keyring = sharedKeyring) {
    const { userDataDir, keychainService } = await teamDeskFolder({ db, keyring, role, memberName: name });
    folders.push(userDataDir);
    const harness = await startHarness({
      emulator,
      userDataDir,
      keychainService,
      services: { teamTakeoverMs: 200 },
    });
    desks.push(harness);
    return harness;
  }
  const sharedKeyring = createTeamKeyring();

  it('walks a loan together: changes show at the other desk, one report for two identical requests, takeover on close', async () => {
    const admin = await desk('admin', 'Ada Admin');
    const officer = await desk('officer', 'Otto Officer');
    expect(await officer.handlers['team:status']({})).toMatchObject({
      mode: 'team',
      member: { name: 'Otto Officer', role: 'officer' },
      connection: { status: 'online' },
    });

    // The admin's desk opens the loan and links the bank; the officer's desk hears of it, without polling.
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-TEAM-0001' });
    const heard = await until(
      () =>
        officer.events.find(
          (e) => e.event === 'team:changes' && (e.payload as { loanIds: string[] }).loanIds.includes(borrower.loanId),
        ),
      'the loan to reach the other desk',
    );
    expect(heard).toBeTruthy();
    expect((await officer.handlers['loans:get']({ loanId: borrower.loanId })).loan.loanNumber).toBe('LN-TEAM-0001');
    const item = await linkBank(admin, borrower.id);

    // Both desks press "Create report" for the same loan at once: one report, one Plaid request.
    const request = { loanId: borrower.loanId, itemIds: [item.id], daysRequested: 61, includeApplicantDetails: false };
    const [a, b] = await Promise.all([
      admin.handlers['reports:create'](request as never),
      officer.handlers['reports:create'](request as never),
    ]);
    expect(a.id).toBe(b.id);
    const pending = await officer.services.internals.store()!.reports.listForLoan(borrower.loanId, 'emulator');
    expect(pending).toHaveLength(1);

    // The desk that created it polls it; it closes before Plaid is done, and the other desk takes over.
    await admin.services.stop();
    const ready = await until(async () => {
      const report = await officer.services.internals.store()!.reports.get(a.id);
      return report?.status === 'ready' ? report : null;
    }, 'the other desk to finish the report');
    expect(ready.status).toBe('ready');
    const readyEntries = (await officer.services.internals.store()!.activity.list({ reportId: a.id })).filter(
      (entry) => entry.action === 'report_ready',
    );
    expect(readyEntries).toHaveLength(1);
  });

  it('a processor reads and exports but may not create reports or delete', async () => {
    const processor = await desk('processor', 'Pia Processor');
    const loans = await processor.handlers['loans:list']({} as never);
    expect(loans.rows.length).toBeGreaterThan(0);
    const loanId = loans.rows[0]!.id;
    await expect(
      processor.handlers['reports:create']({
        loanId,
        itemIds: ['x'],
        daysRequested: 61,
        includeApplicantDetails: false,
      } as never),
    ).rejects.toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
    await expect(processor.handlers['loans:delete']({ loanId } as never)).rejects.toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
  });
});

import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import type { AssetDeskStore } from '../../electron/db';
import type { DesktopAdapters } from '../../electron/services/desktop';
import { createItemService } from '../../electron/services/link/items';
import { createPlaidGateway } from '../../electron/services/plaid-gateway';
import { createReportLifecycle } from '../../electron/services/reports/lifecycle';
import { removeAtPlaid } from '../../electron/services/reports/plaid-requests';
import { NewLoanInput } from '../../shared/domain';
import { newLoanInput } from '../helpers/applicant';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { tempStore } from './helpers';

/**
 * A removal sent to Plaid before AssetDesk stopped, the report not yet marked removed here, is finished by the
 * next start: on the desk's SQLite history and on the team's PostgreSQL (the store-postgres project runs this file
 * again). The SIGKILL itself is tests/core/crash-safety.test.ts; here the state it leaves is made by the same code
 * (the removal at Plaid, then no marking), and a start's resume finishes it.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0, logger: createMemoryLogger() });
});
afterAll(() => emulator?.close());

const desktop: DesktopAdapters = {
  chooseSavePath: async () => null,
  chooseFolder: async () => null,
  chooseFile: async () => null,
  writeClipboard: () => undefined,
  notify: () => undefined,
};
const events = { emit: () => undefined };

function gatewayTo(basePath: string) {
  return createPlaidGateway({
    environment: 'emulator',
    basePath,
    clientId: emulator.clientId,
    secret: emulator.secret,
    logger: createMemoryLogger(),
    maxAttempts: 1,
  });
}

/** One run of AssetDesk's report work over the store: what a start makes. */
function start(store: AssetDeskStore) {
  const gateway = gatewayTo(emulator.baseUrl);
  const logger = createMemoryLogger();
  const items = createItemService({
    store,
    gateway,
    environment: 'emulator',
    events,
    logger,
    webhookUrl: () => null,
    linkScriptUrl: emulator.linkScriptUrl,
  });
  const lifecycle = createReportLifecycle({
    store,
    gateway,
    environment: 'emulator',
    items,
    events,
    desktop,
    logger,
    webhookUrl: () => null,
    pollIntervals: { initialMs: 20, factor: 1.5, maxMs: 100 },
    crashAt: null,
  });
  return { gateway, items, lifecycle };
}

async function atPlaid(token: string): Promise<string> {
  return emulatorPlaid(emulator)
    .assetReportGet({ asset_report_token: token })
    .then(
      () => 'there',
      (e: { response?: { data?: { error_code?: string } } }) => e.response?.data?.error_code ?? 'no answer',
    );
}

test('a start finishes removals sent to Plaid before the stop: removed here and at Plaid, one entry each', async () => {
  const t = await tempStore({ start: new Date().toISOString() });
  try {
    const first = start(t.store);
    const loan = await t.store.loans.create(NewLoanInput.parse(newLoanInput()));
    const borrower = loan.borrowers[0]!;
    const item = await linkSandboxBank(
      emulatorPlaid(emulator),
      { 'link:complete': (r) => first.items.complete(r.applicantId, r.publicToken, r.metadata) },
      borrower.id,
    );
    const ask = () =>
      first.lifecycle.create({
        loanId: loan.id,
        itemIds: [item.id],
        daysRequested: 61,
        includeApplicantDetails: false,
      });
    const [answered, unanswered, kept] = [await ask(), await ask(), await ask()];
    await first.lifecycle.settled();
    const tokens = new Map<string, string>();
    for (const r of [answered, unanswered, kept]) {
      expect((await t.store.reports.get(r.id))?.status).toBe('ready');
      tokens.set(r.id, (await t.store.reports.reportToken(r.id))!);
    }

    // Plaid removed `answered`; the app stopped before marking it removed here.
    expect(
      await removeAtPlaid({ store: t.store, gateway: first.gateway }, (await t.store.reports.get(answered.id))!),
    ).toBe(true);
    // `unanswered`'s removal never reached Plaid (no connection), and the app stopped.
    await expect(
      removeAtPlaid(
        { store: t.store, gateway: gatewayTo('http://127.0.0.1:9') },
        (await t.store.reports.get(unanswered.id))!,
      ),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await first.lifecycle.stop();
    first.items.stop();
    expect(await atPlaid(tokens.get(answered.id)!)).toBe('INVALID_ASSET_REPORT_TOKEN');
    expect(await atPlaid(tokens.get(unanswered.id)!)).toBe('there');
    expect((await t.store.reports.listUnfinishedRemovals('emulator')).map((r) => r.id).sort()).toEqual(
      [answered.id, unanswered.id].sort(),
    );
    expect(await t.store.reports.listUnfinishedRemovals('sandbox')).toEqual([]);

    // The next start.
    const next = start(t.store);
    await next.lifecycle.resume();
    for (const id of [answered.id, unanswered.id]) {
      expect((await t.store.reports.get(id))?.status, id).toBe('removed');
      const removed = (await t.store.activity.list({ reportId: id })).filter((e) => e.action === 'report_removed');
      expect(removed.map((e) => e.detail)).toEqual([
        expect.objectContaining({ removedAtPlaid: true, status: 'ready', finishedAfterStop: true }),
      ]);
      expect(await atPlaid(tokens.get(id)!), id).toBe('INVALID_ASSET_REPORT_TOKEN');
    }
    // A report nobody asked to remove is left alone.
    expect((await t.store.reports.get(kept.id))?.status).toBe('ready');
    expect(await atPlaid(tokens.get(kept.id)!)).toBe('there');
    expect(await t.store.reports.listUnfinishedRemovals('emulator')).toEqual([]);

    // A third start finds nothing left: no second entry.
    const third = start(t.store);
    await third.lifecycle.resume();
    for (const id of [answered.id, unanswered.id])
      expect((await t.store.activity.list({ reportId: id })).filter((e) => e.action === 'report_removed')).toHaveLength(
        1,
      );
    for (const run of [next, third]) {
      await run.lifecycle.stop();
      run.items.stop();
    }
  } finally {
    await t.cleanup();
  }
});

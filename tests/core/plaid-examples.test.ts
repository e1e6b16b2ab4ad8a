import { startReplayServer, type ReplayServer } from '../../electron/emulator/replay';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { requireKeychain } from '../helpers/keychain';
import { loadSpec } from '../contract/openapi-validator';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

/**
 * The whole report flow on data Plaid wrote: the app's services talk to a server that answers with the
 * examples of Plaid's own spec (link, exchange, create, get, PDF, audit copy, remove).
 */
describe.skipIf(!hasKeychain)("the report flow on Plaid's example responses (replay server)", () => {
  let h: CoreHarness;
  let replay: ReplayServer;
  beforeAll(async () => {
    replay = await startReplayServer({ spec: loadSpec() });
    h = await startHarness({
      services: {
        startEmulator: async () => ({
          baseUrl: replay.baseUrl,
          clientId: replay.clientId,
          secret: replay.secret,
          linkScriptUrl: `${replay.baseUrl}/link/v2/stable/link-initialize.js`,
          close: async () => undefined,
        }),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await replay?.close();
  });

  test('link, create, ready by polling, read, PDF, audit copy and removal all work on the examples', async () => {
    const example = replay.examples.get('/asset_report/get') as { report: AssetReportGetResult['report'] };
    const created = replay.examples.get('/asset_report/create') as { asset_report_id: string };
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    const item = await linkBank(h, applicantId);
    expect(item.status).toBe('ok');

    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: true,
    });
    expect(report.plaidReportId).toBe(created.asset_report_id);
    const ready = await until(async () => {
      const row = await h.services.internals.store()!.reports.get(report.id);
      return row && row.status !== 'pending' ? row : undefined;
    }, 'the example report');
    expect(ready).toMatchObject({ status: 'ready', failure: null });

    const got = await h.handlers['reports:get']({ reportId: report.id });
    const content = JSON.parse(got.contentJson) as AssetReportGetResult;
    expect(content.report.asset_report_id).toBe(example.report.asset_report_id);
    expect(content.report.items.map((i) => i.institution_name)).toEqual(
      example.report.items.map((i) => i.institution_name),
    );
    expect(got.summary.accountCount).toBe(example.report.items.flatMap((i) => i.accounts).length);
    expect(
      Buffer.from((await h.handlers['reports:pdf']({ reportId: report.id })).pdf)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const copy = await h.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' });
    expect(copy.removedAt).toBeNull();
    await h.handlers['auditCopies:remove']({ auditCopyId: copy.id });
    await h.handlers['reports:remove']({ reportId: report.id });
    expect((await h.handlers['reports:summary']({ reportId: report.id })).status).toBe('removed');
  });
});

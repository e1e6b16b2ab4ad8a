import { CountryCode, Products, type PlaidApi } from 'plaid';
import { REPLAYED_PREFIXES, startReplayServer, type ReplayServer } from '../../electron/emulator/replay';
import { expectPlaidError, loadSpec, SpecValidator } from './openapi-validator';

/**
 * The replay server answers with Plaid's own examples from the spec: the official SDK drives the whole
 * Link-token → Item → Asset Report → audit copy → removal sequence through it, each answer checked against the
 * spec's schema and compared with the example Plaid wrote.
 */
let replay: ReplayServer;
let plaid: PlaidApi;
let validator: SpecValidator;

beforeAll(async () => {
  validator = new SpecValidator();
  replay = await startReplayServer({ spec: loadSpec() });
  plaid = validator.plaidClient(replay.baseUrl, replay.clientId, replay.secret);
});
afterAll(() => replay.close());

const example = (path: string) => replay.examples.get(path);

it('answers every Assets, Link-token and Item call of the report flow with the example Plaid wrote', async () => {
  const link = await plaid.linkTokenCreate({
    user: { client_user_id: 'applicant-42' },
    client_name: 'AssetDesk',
    products: [Products.Assets],
    country_codes: [CountryCode.Us],
    language: 'en',
  });
  expect(link.data).toEqual(example('/link/token/create'));
  expect((await plaid.linkTokenGet({ link_token: link.data.link_token })).data).toEqual(example('/link/token/get'));
  const exchanged = await plaid.itemPublicTokenExchange({ public_token: 'public-sandbox-from-link' });
  expect(exchanged.data).toEqual(example('/item/public_token/exchange'));
  const accessToken = exchanged.data.access_token;
  expect((await plaid.itemGet({ access_token: accessToken })).data).toEqual(example('/item/get'));

  const created = await plaid.assetReportCreate({ access_tokens: [accessToken], days_requested: 60 });
  expect(created.data).toEqual(example('/asset_report/create'));
  const token = created.data.asset_report_token;
  const report = await plaid.assetReportGet({ asset_report_token: token, include_insights: true });
  expect(report.data).toEqual(example('/asset_report/get'));
  expect(report.data.report.items.length).toBeGreaterThan(0);
  const pdf = await plaid.assetReportPdfGet({ asset_report_token: token }, { responseType: 'arraybuffer' });
  expect(
    Buffer.from(pdf.data as unknown as ArrayBuffer)
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');
  expect((await plaid.assetReportRefresh({ asset_report_token: token })).data).toEqual(
    example('/asset_report/refresh'),
  );
  expect((await plaid.assetReportFilter({ asset_report_token: token, account_ids_to_exclude: ['x'] })).data).toEqual(
    example('/asset_report/filter'),
  );
  const copy = await plaid.assetReportAuditCopyCreate({ asset_report_token: token, auditor_id: 'fannie_mae' });
  expect(copy.data).toEqual(example('/asset_report/audit_copy/create'));
  const audit = await plaid.assetReportAuditCopyGet({ audit_copy_token: copy.data.audit_copy_token });
  expect(audit.data.report).toEqual((example('/asset_report/get') as { report: unknown }).report);
  expect((await plaid.assetReportAuditCopyRemove({ audit_copy_token: copy.data.audit_copy_token })).data).toEqual(
    example('/asset_report/audit_copy/remove'),
  );
  expect((await plaid.assetReportRemove({ asset_report_token: token })).data).toEqual(example('/asset_report/remove'));
  expect((await plaid.itemWebhookUpdate({ access_token: accessToken, webhook: 'https://example.com/h' })).data).toEqual(
    example('/item/webhook/update'),
  );
  expect((await plaid.itemRemove({ access_token: accessToken })).data).toEqual(example('/item/remove'));
});

it('covers every Assets, Link-token and Item path the spec gives an example for', () => {
  const spec = loadSpec();
  const withExamples = Object.keys(spec.paths).filter(
    (path) => REPLAYED_PREFIXES.some((prefix) => path.startsWith(prefix)) && replay.examples.has(path),
  );
  expect(withExamples).toEqual(
    expect.arrayContaining([
      '/asset_report/create',
      '/asset_report/get',
      '/asset_report/pdf/get',
      '/asset_report/refresh',
      '/asset_report/filter',
      '/asset_report/remove',
      '/asset_report/audit_copy/create',
      '/asset_report/audit_copy/get',
      '/asset_report/audit_copy/pdf/get',
      '/asset_report/audit_copy/remove',
      '/link/token/create',
      '/link/token/get',
      '/item/get',
      '/item/remove',
      '/item/public_token/exchange',
    ]),
  );
});

it('refuses wrong credentials and unknown paths with Plaid error bodies', async () => {
  const wrong = validator.plaidClient(replay.baseUrl, replay.clientId, 'not-the-secret');
  const denied = await expectPlaidError(wrong.itemGet({ access_token: 'access-sandbox-x' }));
  expect(denied.data).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS' });
  const missing = await expectPlaidError(plaid.identityGet({ access_token: 'access-sandbox-x' }));
  expect(missing.status).toBe(404);
});

import { Products, type PlaidApi } from 'plaid';
import { startEmulator } from '../../electron/emulator';
import type { BenchFigure, BenchSuite } from './types';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import {
  bareHttpServer,
  plainPost,
  since,
  socketHttpClient,
  splitAgainstFloor,
  type Transfer,
} from './loopback-transfers';

/**
 * The emulator's /asset_report/get for one report view, and where its time goes. Server side: the floor (raw
 * loopback socket), HTTP alone on the same bytes (a bare node:http server), the emulator — both read by the
 * floor-like socket client, so the headline ratio compares like with like. Client side, on the same response:
 * node:http's client, the plaid SDK (axios) collecting the text, and the SDK's default parsed JSON as the app reads it.
 */
async function measureView(options: {
  label: string;
  plaid: PlaidApi;
  url: string;
  auth: Record<string, string>;
  request: { asset_report_token: string; include_insights?: boolean };
  bytes: Buffer;
  /** Every line of the split, rather than the headline ones. */
  split: boolean;
}): Promise<BenchFigure[]> {
  const { label, plaid, url, auth, bytes, request: body } = options;
  const bare = await bareHttpServer(bytes);
  const bareClient = await socketHttpClient(bare.url);
  const emulatorClient = await socketHttpClient(url);
  let text = '';
  // The request_id differs per response, never its length: any other difference means another body.
  const sameSize = async (read: Promise<Transfer & { bytes: number }>) => {
    const { bytes: sent, ...transfer } = await read;
    if (sent !== bytes.length) throw new Error(`the emulator sent ${sent} bytes, not ${bytes.length}`);
    return transfer;
  };
  try {
    const split = await splitAgainstFloor(
      {
        bare: () => bareClient.post({}, body),
        emulator: () => sameSize(emulatorClient.post(auth, body)),
        nodeHttp: () => sameSize(plainPost(url, auth, body)),
        sdkText: () =>
          since(
            performance.now(),
            plaid.assetReportGet(body, { responseType: 'text' }).then((r) => (text = String(r.data))),
          ),
        ...(options.split
          ? {
              // What the app does: the SDK's default response type, parsed into objects.
              sdkJson: () => since(performance.now(), plaid.assetReportGet(body)),
              parse: () =>
                since(
                  performance.now(),
                  Promise.resolve().then(() => JSON.parse(text) as unknown),
                ),
            }
          : {}),
      },
      bytes,
    );
    const name = (what: string) => `/asset_report/get heavy${label}${what}`;
    const rounds = 'median of 5 interleaved rounds';
    const figures: BenchFigure[] = [
      {
        name: name(' floor: the same bytes over a loopback socket (median of 5)'),
        value: split.ms('floor'),
        unit: 'ms',
      },
      {
        name: name(", read to the last byte by a socket client like the floor's (median of 5)"),
        value: split.ms('emulator'),
        unit: 'ms',
      },
      {
        name: name(`, read by a socket client like the floor's ÷ floor (loopback socket), ${rounds}`),
        value: split.ratio('emulator'),
        unit: 'x',
        target: 2,
      },
      {
        name: name(`, read by a socket client like the floor's ÷ floor, CPU time of this process, ${rounds}`),
        value: split.cpuRatio('emulator'),
        unit: 'x',
      },
      { name: name(' through plain node:http, no SDK (median of 5)'), value: split.ms('nodeHttp'), unit: 'ms' },
      {
        name: name(`, plain node:http ÷ floor (loopback socket), ${rounds}`),
        value: split.ratio('nodeHttp'),
        unit: 'x',
      },
      {
        name: name(` through the plaid SDK (axios, responseType text) ÷ floor (loopback socket), ${rounds}`),
        value: split.ratio('sdkText'),
        unit: 'x',
      },
    ];
    if (!options.split) return figures;
    return [
      ...figures,
      // Server side: HTTP itself on the same bytes, then what the emulator adds to it.
      {
        name: name(`, HTTP alone (bare node:http server, same bytes, socket client) ÷ floor, ${rounds}`),
        value: split.ratio('bare'),
        unit: 'x',
      },
      {
        name: name(`, emulator ÷ HTTP alone (its own handling and streaming), ${rounds}`),
        value: split.between('emulator', 'bare'),
        unit: 'x',
      },
      {
        name: name(', emulator to the first byte (lookup, validation, auth, rate limits, headers), median of 5'),
        value: split.firstByteMs('emulator'),
        unit: 'ms',
      },
      { name: name(', HTTP alone to the first byte, median of 5'), value: split.firstByteMs('bare'), unit: 'ms' },
      { name: name(', floor to the first byte, median of 5'), value: split.firstByteMs('floor'), unit: 'ms' },
      // Client side, on the emulator's same response: each client library's work beyond counting bytes.
      {
        name: name(`, node:http client beyond the socket client (its parser and stream), ${rounds}`),
        value: split.beyond('nodeHttp', 'emulator'),
        unit: 'ms',
      },
      {
        name: name(`, plaid SDK text beyond plain node:http (axios collecting and decoding), ${rounds}`),
        value: split.beyond('sdkText', 'nodeHttp'),
        unit: 'ms',
      },
      {
        name: name(' through the plaid SDK, parsed JSON as the app reads it (median of 5)'),
        value: split.ms('sdkJson'),
        unit: 'ms',
      },
      {
        name: name(` through the plaid SDK, parsed JSON as the app reads it ÷ floor, ${rounds}`),
        value: split.ratio('sdkJson'),
        unit: 'x',
      },
      { name: name(': JSON.parse of the response text alone (median of 5)'), value: split.ms('parse'), unit: 'ms' },
    ];
  } finally {
    bareClient.close();
    emulatorClient.close();
    await bare.close();
  }
}

/**
 * The emulator under load: /asset_report/get for the heavy persona (8 accounts, 731 days, ~39,000 transactions)
 * once the report is ready, with and without insights, and its PDF through /asset_report/pdf/get.
 */
export const suite: BenchSuite = {
  name: 'emulator',
  async run(): Promise<BenchFigure[]> {
    const emulator = await startEmulator({ readyAfterMs: 0 });
    try {
      const plaid = emulatorPlaid(emulator);
      const created = await plaid.sandboxPublicTokenCreate({
        institution_id: 'ins_109508',
        initial_products: [Products.Assets],
        options: { override_username: 'user_heavy' },
      });
      const { access_token } = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
      const report = (await plaid.assetReportCreate({ access_tokens: [access_token], days_requested: 731 })).data;
      // Wait until ready (the emulator generates the data at ready time, as Plaid does before PRODUCT_READY).
      for (;;) {
        try {
          await plaid.assetReportGet({
            asset_report_token: report.asset_report_token,
            options: { days_to_include: 1 },
          });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      // Median of 3: one 35 MB response is at the mercy of a single GC pause.
      const timed = async <T>(fn: () => Promise<T>): Promise<[T, number, number]> => {
        const times: number[] = [];
        let value: T | undefined;
        for (let i = 0; i < 3; i += 1) {
          const start = performance.now();
          value = await fn();
          times.push(performance.now() - start);
        }
        const first = times[0]!;
        return [value as T, times.sort((a, b) => a - b)[1]!, first];
      };
      const plainRequest = { asset_report_token: report.asset_report_token };
      const insightsRequest = { ...plainRequest, include_insights: true };
      const [plain, plainMs] = await timed(() => plaid.assetReportGet(plainRequest, { responseType: 'text' }));
      const [insights, insightsMs] = await timed(() => plaid.assetReportGet(insightsRequest, { responseType: 'text' }));
      const plainBytes = Buffer.from(String(plain.data), 'utf8');
      const insightsBytes = Buffer.from(String(insights.data), 'utf8');
      const transactions = (
        JSON.parse(String(plain.data)) as { report: { items: { accounts: { transactions: unknown[] }[] }[] } }
      ).report.items
        .flatMap((i) => i.accounts)
        .reduce((n, a) => n + a.transactions.length, 0);
      const view = {
        plaid,
        url: `${emulator.baseUrl}/asset_report/get`,
        auth: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
      };
      const plainFigures = await measureView({
        ...view,
        label: '',
        request: plainRequest,
        bytes: plainBytes,
        split: false,
      });
      const insightsFigures = await measureView({
        ...view,
        label: ' with insights',
        request: insightsRequest,
        bytes: insightsBytes,
        split: true,
      });
      const [pdf, pdfMs, pdfFirstMs] = await timed(() =>
        plaid.assetReportPdfGet({ asset_report_token: report.asset_report_token }, { responseType: 'arraybuffer' }),
      );
      return [
        { name: 'heavy persona transactions (731 days)', value: transactions, unit: 'count' },
        {
          name: '/asset_report/get heavy, after ready (median of 3)',
          value: Math.round(plainMs),
          unit: 'ms',
          target: 500,
        },
        { name: '/asset_report/get heavy response size', value: plainBytes.length, unit: 'bytes' },
        ...plainFigures,
        {
          name: '/asset_report/get heavy with insights, after ready (median of 3)',
          value: Math.round(insightsMs),
          unit: 'ms',
          target: 500,
        },
        { name: '/asset_report/get heavy with insights response size', value: insightsBytes.length, unit: 'bytes' },
        ...insightsFigures,
        // The emulator keeps a ready report's PDF, as Plaid serves a stored file: the first request draws it.
        {
          name: '/asset_report/pdf/get heavy, first request (the PDF drawn)',
          value: Math.round(pdfFirstMs),
          unit: 'ms',
          target: 500,
        },
        {
          name: '/asset_report/pdf/get heavy (median of 3: the first drawn, then served kept)',
          value: Math.round(pdfMs),
          unit: 'ms',
          target: 500,
        },
        {
          name: '/asset_report/pdf/get heavy size',
          value: Buffer.from(pdf.data as unknown as ArrayBuffer).length,
          unit: 'bytes',
        },
      ];
    } finally {
      await emulator.close();
    }
  },
};

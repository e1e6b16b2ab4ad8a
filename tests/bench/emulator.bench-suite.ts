import { request } from 'node:http';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { Products } from 'plaid';
import { startEmulator } from '../../electron/emulator';
import type { BenchFigure, BenchSuite } from './types';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import { median } from './measure';

/**
 * The floor for /asset_report/get: the same response bytes written to a loopback socket and read to the
 * end by a client already connected — the transfer nobody can avoid, without HTTP, JSON or the SDK.
 */
async function loopbackFloor(bytes: Buffer) {
  const server = createServer((socket) => socket.on('data', () => socket.write(bytes)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createConnection((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  return {
    async once(): Promise<number> {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        let received = 0;
        const onData = (chunk: Buffer) => {
          received += chunk.length;
          if (received >= bytes.length) {
            client.off('data', onData);
            resolve();
          }
        };
        client.on('data', onData);
        client.write('g');
      });
      return performance.now() - started;
    },
    async close() {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Figure and floor taken in turns, 5 rounds, so both see the same load from other jobs on the machine;
 * the ratio is the median of the rounds' ratios.
 */
async function againstFloor(ours: () => Promise<unknown>, bytes: Buffer) {
  const floor = await loopbackFloor(bytes);
  try {
    await floor.once(); // warm-up
    const oursMs: number[] = [];
    const floorMs: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const started = performance.now();
      await ours();
      oursMs.push(performance.now() - started);
      floorMs.push(await floor.once());
      ratios.push(oursMs[round]! / floorMs[round]!);
    }
    return { ours: median(oursMs), floor: median(floorMs), ratio: median(ratios) };
  } finally {
    await floor.close();
  }
}

/** The same call without the SDK: one plain HTTP POST read to the end as bytes (what is the emulator's own cost). */
function plainPost(url: string, headers: Record<string, string>, body: object): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(performance.now() - started));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
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
      const [plain, plainMs] = await timed(() =>
        plaid.assetReportGet({ asset_report_token: report.asset_report_token }, { responseType: 'text' }),
      );
      const [insights, insightsMs] = await timed(() =>
        plaid.assetReportGet(
          { asset_report_token: report.asset_report_token, include_insights: true },
          { responseType: 'text' },
        ),
      );
      const transactions = (
        JSON.parse(String(plain.data)) as { report: { items: { accounts: { transactions: unknown[] }[] }[] } }
      ).report.items
        .flatMap((i) => i.accounts)
        .reduce((n, a) => n + a.transactions.length, 0);
      const auth = { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret };
      const plainHttp = await againstFloor(
        () =>
          plainPost(`${emulator.baseUrl}/asset_report/get`, auth, { asset_report_token: report.asset_report_token }),
        Buffer.from(String(plain.data), 'utf8'),
      );
      const plainFloor = await againstFloor(
        () => plaid.assetReportGet({ asset_report_token: report.asset_report_token }, { responseType: 'text' }),
        Buffer.from(String(plain.data), 'utf8'),
      );
      const insightsFloor = await againstFloor(
        () =>
          plaid.assetReportGet(
            { asset_report_token: report.asset_report_token, include_insights: true },
            { responseType: 'text' },
          ),
        Buffer.from(String(insights.data), 'utf8'),
      );
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
        { name: '/asset_report/get heavy response size', value: Buffer.byteLength(String(plain.data)), unit: 'bytes' },
        {
          name: '/asset_report/get heavy floor: the same bytes over a loopback socket (median of 5)',
          value: plainFloor.floor,
          unit: 'ms',
        },
        {
          name: '/asset_report/get heavy ÷ floor (loopback socket), median of 5 interleaved rounds',
          value: plainFloor.ratio,
          unit: 'x',
          target: 2,
        },
        {
          name: '/asset_report/get heavy through plain node:http, no SDK (median of 5)',
          value: plainHttp.ours,
          unit: 'ms',
        },
        {
          name: '/asset_report/get heavy, plain node:http ÷ floor (loopback socket), median of 5 interleaved rounds',
          value: plainHttp.ratio,
          unit: 'x',
        },
        {
          name: '/asset_report/get heavy with insights, after ready (median of 3)',
          value: Math.round(insightsMs),
          unit: 'ms',
          target: 500,
        },
        {
          name: '/asset_report/get heavy with insights response size',
          value: Buffer.byteLength(String(insights.data)),
          unit: 'bytes',
        },
        {
          name: '/asset_report/get heavy with insights floor: the same bytes over a loopback socket (median of 5)',
          value: insightsFloor.floor,
          unit: 'ms',
        },
        {
          name: '/asset_report/get heavy with insights ÷ floor (loopback socket), median of 5 interleaved rounds',
          value: insightsFloor.ratio,
          unit: 'x',
          target: 2,
        },
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

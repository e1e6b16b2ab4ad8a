import { createInterface } from 'node:readline';

/**
 * The main process for the start-up benchmark, run by startup.bench-suite.ts inside a private D-Bus
 * session with a real Secret Service:
 * - `seed DIR`: a store with 10,000 ready reports, its data key in the keychain as the app keeps it;
 * - `start DIR STATIC`: a fresh process starting the services (keychain, store, emulator) behind the
 *   web bridge, then answering `rss` and `exit` on stdin. Messages go out as `BENCH {json}` lines.
 */
const say = (message: object) => process.stdout.write(`BENCH ${JSON.stringify(message)}\n`);
const now = () => performance.timeOrigin + performance.now();
const [mode, userDataDir, staticDir] = process.argv.slice(2);

if (mode === 'seed' && userDataDir) {
  const { default: keytar } = await import('keytar');
  const { createKeychainVault } = await import('../../electron/services/vault');
  const { openAssetDeskStore } = await import('../../electron/db');
  const { renderPdf, reportWithTransactions, seedApplicant, storeReadyReport } = await import('./renderer-seed');
  const { mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  mkdirSync(userDataDir, { recursive: true });
  const vault = createKeychainVault({ keytar });
  const store = await openAssetDeskStore({
    file: join(userDataDir, 'assetdesk.sqlite'),
    dataKey: await vault.dataKey(),
  });
  const small = reportWithTransactions(1, 5, 30);
  const pdf = await renderPdf(small);
  await store.transaction(async () => {
    for (let n = 0; n < 10_000; n++)
      await storeReadyReport(
        store,
        await seedApplicant(store, n),
        { report: small, warnings: [] },
        pdf,
        `startup-report-${n}`,
      );
  });
  await store.close();
  say({ seeded: 10_000 });
} else if (mode === 'start' && userDataDir && staticDir) {
  // Code loads first (under tsx it is compiled on the fly; Electron loads one bundled file), then the clock starts.
  const { startWebBridge } = await import('../../electron/dev/web-bridge');
  await import('../../electron/services/app-services');
  const { createLogger } = await import('../../electron/log/logger');
  const importMs = performance.now();
  const before = process.memoryUsage();
  const t0 = now();
  const bridge = await startWebBridge({ userDataDir, staticDir, port: 0, logger: createLogger({ level: 'error' }) });
  say({ url: bridge.url, t0, servicesReady: now(), importMs, rssBefore: before.rss, heapBefore: before.heapUsed });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'rss') {
      const { rss, heapUsed } = process.memoryUsage();
      say({ rss, heapUsed });
    } else if (line === 'exit') {
      await bridge.close();
      say({ closed: true });
      process.exit(0);
    }
  }
} else {
  process.stderr.write('usage: startup-main.ts seed DIR | start DIR STATIC\n');
  process.exit(2);
}

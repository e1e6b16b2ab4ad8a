import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

// The renderer is built twice: `electron` mode for the app (served from app://), `web` mode for
// the loopback web bridge used in development and browser tests. Only `web` mode contains the
// bridge client; the packaged app never does.
export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  define: {
    __WEB_BRIDGE__: JSON.stringify(mode === 'web'),
  },
  // The report analysis worker is its own module file under assets/, served like any script (worker-src 'self').
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL(mode === 'web' ? './out/renderer-web' : './out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    root: projectRoot,
    globals: true,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/{unit,contract,emulator,store,core,underwriting,static,team}/**/*.test.ts'],
          testTimeout: 30_000,
          globalSetup: ['tests/helpers/postgres-global.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The engine-neutral store tests again, on the team's PostgreSQL (tests/store/helpers.ts picks the engine).
          name: 'store-postgres',
          include: [
            'tests/store/{repositories,loans,pipeline,search,folded-search,retention-export,underwriting-carry,transfer-evidence,ready-content,at-rest,emulator-flow,report-views,unfinished-removals}.test.ts',
          ],
          env: { ASSETDESK_STORE_ENGINE: 'postgres' },
          testTimeout: 30_000,
          globalSetup: ['tests/helpers/postgres-global.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/helpers/postgres-global.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
}));

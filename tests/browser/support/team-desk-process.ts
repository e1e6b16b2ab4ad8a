/**
 * One desk of a team as its own process, for the two-desk browser test: the web bridge over the REAL
 * services, set up for the team by its user-data folder and keychain, using the test's emulator as the
 * shared Plaid. Prints `READY <url>` once the bridge listens; runs until killed (the test kills it with
 * SIGKILL mid-poll to stand in for a crash).
 * Env: TEAM_DESK = JSON { userDataDir, staticDir, keychainService, emulator: { baseUrl, clientId, secret,
 * linkScriptUrl, bankOrigin? }, takeoverMs }.
 */
import { startWebBridge } from '../../../electron/dev/web-bridge';
import { join } from 'node:path';
import { createLogger } from '../../../electron/log/logger';
import { createAppServices } from '../../../electron/services/app-services';

interface DeskEnv {
  userDataDir: string;
  staticDir: string;
  keychainService: string;
  emulator: { baseUrl: string; clientId: string; secret: string; linkScriptUrl: string; bankOrigin?: string };
  takeoverMs: number;
}

const env = JSON.parse(process.env.TEAM_DESK ?? '{}') as DeskEnv;
// The desk's own log file, as the app keeps one (the test reads it when something goes wrong).
const logger = createLogger({ level: 'info', file: join(env.userDataDir, 'logs', 'assetdesk.log') });
const bridge = await startWebBridge({
  userDataDir: env.userDataDir,
  staticDir: env.staticDir,
  port: 0,
  logger,
  createServices: (deps) =>
    createAppServices({
      ...deps,
      keychainService: env.keychainService,
      transport: 'web-bridge',
      pollIntervals: { initialMs: 200, factor: 1.5, maxMs: 1_000 },
      teamTakeoverMs: env.takeoverMs,
      // Both desks talk to one Plaid, as two desks of a branch do.
      startEmulator: async () => ({ ...env.emulator, close: async () => undefined }),
    }),
});
process.stdout.write(`READY ${bridge.url}\n`);
const stop = () => void bridge.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

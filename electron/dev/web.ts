import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../log/logger';
import { startWebBridge } from './web-bridge';

// npm run web [-- --port 5180 --data DIR --no-build]
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    data: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

if (!values['no-build']) {
  execFileSync('npx', ['vite', 'build', '--mode', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
}
const userDataDir = values.data ?? join(homedir(), '.assetdesk-web');
mkdirSync(userDataDir, { recursive: true });
const logger = createLogger({ level: 'info', file: join(userDataDir, 'logs', 'assetdesk.log') });
const bridge = await startWebBridge({ userDataDir, port: Number(values.port), logger });
process.stdout.write(
  `AssetDesk (web bridge, development only)\n  open: ${bridge.url}\n  data: ${userDataDir}\n  saved files go to: ${bridge.downloadsDir}\n`,
);
const stop = () => void bridge.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

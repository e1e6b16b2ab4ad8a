import { parseArgs } from 'node:util';
import { createLogger } from '../log/logger';
import { startEmulator } from './index';

/**
 * Standalone Plaid Sandbox emulator:
 *   npm run emulator -- --port 4010 [--data DIR] [--ready-after-ms N] [--client-id X --secret Y] [--production-rate-limits]
 * Credentials also come from PLAID_EMULATOR_CLIENT_ID / PLAID_EMULATOR_SECRET; else they are generated (and kept in DIR).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    data: { type: 'string' },
    'ready-after-ms': { type: 'string' },
    'client-id': { type: 'string' },
    secret: { type: 'string' },
    'production-rate-limits': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: npm run emulator -- --port 4010 [--data DIR] [--ready-after-ms N] [--client-id X --secret Y] [--production-rate-limits]\n',
  );
  process.exit(0);
}

const port = Number(values.port);
const readyAfterMs = values['ready-after-ms'] === undefined ? undefined : Number(values['ready-after-ms']);
if (!Number.isInteger(port) || port < 0 || port > 65535 || (readyAfterMs !== undefined && !(readyAfterMs >= 0))) {
  process.stderr.write('invalid --port or --ready-after-ms\n');
  process.exit(2);
}

const clientId = values['client-id'] ?? process.env.PLAID_EMULATOR_CLIENT_ID;
const secret = values.secret ?? process.env.PLAID_EMULATOR_SECRET;
const emulator = await startEmulator({
  port,
  dataDir: values.data ?? null,
  ...(clientId ? { clientId } : {}),
  ...(secret ? { secret } : {}),
  ...(readyAfterMs !== undefined ? { readyAfterMs } : {}),
  productionRateLimits: values['production-rate-limits'],
  logger: createLogger({ level: 'info' }),
});

// The operator asked for these: printing them is the point of the command (stdout only, never the log).
process.stdout.write(
  [
    `Plaid Sandbox emulator listening on ${emulator.baseUrl}`,
    `PLAID_CLIENT_ID=${emulator.clientId}`,
    `PLAID_SECRET=${emulator.secret}`,
    `Link script: ${emulator.linkScriptUrl}`,
    values.data ? `State: ${values.data}/emulator.sqlite` : 'State: in memory (use --data DIR to keep it)',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: stopping\n`);
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

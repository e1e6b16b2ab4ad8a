import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { createLogger } from '../log/logger';
import { entitlementsWithout, type ClientCredentials } from './clients';
import { startEmulator } from './index';
import type { OpenApiDocument } from './openapi/convert';
import { startReplayServer } from './replay';

/**
 * Standalone Plaid Sandbox emulator (flags in electron/emulator/README.md):
 *   npm run emulator -- --port 4010 [--data DIR] [--ready-after-ms N] [--fast-gap-ms N] [--client-id X --secret Y]
 *     [--production-rate-limits] [--disable assets|insights|fast_assets]… [--auditor ID=CLIENT_ID:SECRET]…
 * Credentials also come from PLAID_EMULATOR_CLIENT_ID / PLAID_EMULATOR_SECRET; else they are generated.
 * PLAID_EMULATOR_STORAGE_KEY (32 bytes, base64) seals the data folder's sensitive values across restarts.
 * `--replay-spec openapi.yml` instead answers Assets, Link-token and Item calls with the spec's own examples.
 */
const USAGE =
  'usage: npm run emulator -- --port 4010 [--data DIR] [--ready-after-ms N] [--fast-gap-ms N] [--client-id X --secret Y]\n' +
  '         [--production-rate-limits] [--disable assets|insights|fast_assets]... [--auditor ID=CLIENT_ID:SECRET]...\n' +
  '   or: npm run emulator -- --replay-spec openapi-2020-09-14.yml [--port N] [--client-id X --secret Y]\n';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    data: { type: 'string' },
    'ready-after-ms': { type: 'string' },
    'fast-gap-ms': { type: 'string' },
    'client-id': { type: 'string' },
    secret: { type: 'string' },
    'production-rate-limits': { type: 'boolean', default: false },
    disable: { type: 'string', multiple: true, default: [] },
    auditor: { type: 'string', multiple: true, default: [] },
    'replay-spec': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const optionalMs = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (!(ms >= 0)) fail(`invalid ${flag}`);
  return ms;
};
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('invalid --port');
const readyAfterMs = optionalMs('--ready-after-ms', values['ready-after-ms']);
const fastReportGapMs = optionalMs('--fast-gap-ms', values['fast-gap-ms']);

let stopping = false;
const stopOn = (close: () => Promise<void>) => {
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

const replaySpec = values['replay-spec'];
if (replaySpec !== undefined) {
  const spec = parse(readFileSync(replaySpec, 'utf8'), { maxAliasCount: -1 }) as OpenApiDocument;
  const replayId = values['client-id'] ?? process.env.PLAID_EMULATOR_CLIENT_ID;
  const replaySecret = values.secret ?? process.env.PLAID_EMULATOR_SECRET;
  const replay = await startReplayServer({
    spec,
    port,
    ...(replayId ? { clientId: replayId } : {}),
    ...(replaySecret ? { secret: replaySecret } : {}),
  });
  process.stdout.write(
    [
      `Plaid example replay listening on ${replay.baseUrl} (${replay.examples.size} endpoints)`,
      `PLAID_CLIENT_ID=${replay.clientId}`,
      `PLAID_SECRET=${replay.secret}`,
      '',
    ].join('\n'),
  );
  stopOn(() => replay.close());
} else {
  await runEmulator();
}

async function runEmulator(): Promise<void> {
  let entitlements;
  try {
    entitlements = entitlementsWithout(values.disable.flatMap((d) => d.split(',')).filter(Boolean));
  } catch (error) {
    fail((error as Error).message);
  }

  const auditors: Record<string, ClientCredentials> = {};
  for (const spec of values.auditor) {
    const match = /^([a-z0-9_]+)=([^:]+):(.+)$/.exec(spec);
    if (!match) fail(`invalid --auditor ${spec} (expected ID=CLIENT_ID:SECRET)`);
    auditors[match[1] ?? ''] = { clientId: match[2] ?? '', secret: match[3] ?? '' };
  }

  const keyText = process.env.PLAID_EMULATOR_STORAGE_KEY;
  const storageKey = keyText ? Buffer.from(keyText, 'base64') : null;
  if (storageKey && storageKey.length !== 32) fail('PLAID_EMULATOR_STORAGE_KEY must be 32 bytes in base64');

  const clientId = values['client-id'] ?? process.env.PLAID_EMULATOR_CLIENT_ID;
  const secret = values.secret ?? process.env.PLAID_EMULATOR_SECRET;
  const emulator = await startEmulator({
    port,
    dataDir: values.data ?? null,
    ...(clientId ? { clientId } : {}),
    ...(secret ? { secret } : {}),
    ...(readyAfterMs !== undefined ? { readyAfterMs } : {}),
    ...(fastReportGapMs !== undefined ? { fastReportGapMs } : {}),
    ...(Object.keys(auditors).length > 0 ? { auditors } : {}),
    storageKey,
    entitlements,
    productionRateLimits: values['production-rate-limits'],
    logger: createLogger({ level: 'info' }),
  });

  const disabled = Object.entries(entitlements)
    .filter(([, on]) => !on)
    .map(([name]) => name);
  // The operator asked for these: printing them is the point of the command (stdout only, never the log).
  process.stdout.write(
    [
      `Plaid Sandbox emulator listening on ${emulator.baseUrl}`,
      `PLAID_CLIENT_ID=${emulator.clientId}`,
      `PLAID_SECRET=${emulator.secret}`,
      ...Object.entries(emulator.auditors).map(
        ([id, c]) => `auditor ${id}: client_id=${c.clientId} secret=${c.secret}`,
      ),
      `Disabled products and add-ons: ${disabled.length > 0 ? disabled.join(', ') : 'none'}`,
      `Link script: ${emulator.linkScriptUrl}`,
      values.data ? `State: ${values.data}/emulator.sqlite` : 'State: in memory (use --data DIR to keep it)',
      '',
    ].join('\n'),
  );

  stopOn(() => emulator.close());
}

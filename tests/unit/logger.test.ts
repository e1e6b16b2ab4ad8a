import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Configuration, PlaidApi } from 'plaid';
import { createLogger, redactText, type LogWriteFailure } from '../../electron/log/logger';
import { mountSmallDisk, smallDiskAvailable } from '../helpers/small-disk';
import {
  FAKE_ACCESS_TOKEN,
  FAKE_AUDIT_COPY_TOKEN,
  FAKE_CLIENT_ID,
  FAKE_PUBLIC_TOKEN,
  FAKE_REPORT_TOKEN,
  FAKE_SECRET,
} from '../helpers/fake-tokens';

const SECRET = FAKE_SECRET;
const CLIENT_ID = FAKE_CLIENT_ID;
const ACCESS_TOKEN = FAKE_ACCESS_TOKEN;

/** A real Plaid SDK failure: the AxiosError's config carries the secret in headers and body. */
async function plaidSdkError(): Promise<unknown> {
  const server = createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error_type: 'INVALID_INPUT',
        error_code: 'INVALID_ACCESS_TOKEN',
        error_message: `could not find matching access token ${ACCESS_TOKEN}`,
        display_message: null,
        request_id: 'abc123DEF456ghi',
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const plaid = new PlaidApi(
    new Configuration({
      basePath: `http://127.0.0.1:${port}`,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET } },
    }),
  );
  try {
    await plaid.itemGet({ access_token: ACCESS_TOKEN, secret: SECRET } as never);
    throw new Error('expected a failure');
  } catch (error) {
    return error;
  } finally {
    server.close();
  }
}

describe('logger', () => {
  it('never writes the secret, client id or tokens of a Plaid SDK error (file and console sink)', async () => {
    const error = await plaidSdkError();
    // Prove the error really holds the secret before we log it.
    expect(JSON.stringify((error as { config: unknown }).config)).toContain(SECRET);
    const dir = mkdtempSync(join(tmpdir(), 'assetdesk-log-'));
    const file = join(dir, 'logs', 'assetdesk.log');
    const consoleLines: string[] = [];
    const logger = createLogger({ file, console: false, sinks: [{ write: (l) => consoleLines.push(l) }] });
    logger.error('plaid call failed', {
      error,
      request: { access_token: ACCESS_TOKEN, secret: SECRET },
      config: (error as { config: unknown }).config,
    });
    logger.child({ reportToken: FAKE_REPORT_TOKEN }).warn(`retrying with ${ACCESS_TOKEN}`);
    const written = readFileSync(file, 'utf8') + consoleLines.join('\n');
    expect(written).toContain('INVALID_ACCESS_TOKEN');
    expect(written).toContain('abc123DEF456ghi');
    for (const secret of [SECRET, ACCESS_TOKEN, FAKE_REPORT_TOKEN]) expect(written).not.toContain(secret);
  });

  it('redacts token formats and secret-named fields inside free text', () => {
    const text = redactText(
      `{"secret":"${SECRET}","client_id":"${CLIENT_ID}"} PLAID-SECRET: ${SECRET} ${FAKE_PUBLIC_TOKEN} ${FAKE_AUDIT_COPY_TOKEN}`,
    );
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CLIENT_ID);
    expect(text).not.toContain(FAKE_PUBLIC_TOKEN);
    expect(text).not.toContain(FAKE_AUDIT_COPY_TOKEN.slice('a-sandbox-'.length));
  });

  it('redacts run-time secrets it is told about', () => {
    const lines: string[] = [];
    const logger = createLogger({
      console: false,
      sinks: [{ write: (l) => lines.push(l) }],
      secrets: () => ['correct-horse-battery'],
    });
    logger.info('value correct-horse-battery seen');
    expect(lines.join()).not.toContain('correct-horse-battery');
    // The officer's recovery key, by field name and inside text.
    logger.info('unlock', { recoveryKey: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789' });
    logger.info('body {"recoveryKey":"ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"}');
    expect(lines.join()).not.toContain('ABCD-EFGH');
  });

  it('redacts secret-named keys whatever their case or separators, and leaves harmless look-alikes', () => {
    const lines: string[] = [];
    const logger = createLogger({ console: false, sinks: [{ write: (l) => lines.push(l) }] });
    const secretKeys = [
      'plaidSecret',
      'clientSecret',
      'client_secret',
      'PLAID-SECRET',
      'databasePassword',
      'DB_PASSWORD',
      'passphrase',
      'keyPassphrase',
      'joinCode',
      'join_code',
      'apiKey',
      'api_key',
      'x-api-key',
      'APIKEY',
      'sessionToken',
      'refresh_token',
      'x-bridge-token',
      'Authorization',
      'proxy-authorization',
      'Cookie',
      'set-cookie',
      'clientId',
      'currentPin',
      'recoveryKey',
    ];
    logger.info('keys', Object.fromEntries(secretKeys.map((key, i) => [key, `hidden-value-${i}`])));
    const harmless = {
      tokenType: 'bearer',
      tokenCount: 3,
      secretName: 'plaid-sandbox',
      keyVersion: 2,
      accountKey: 'ins_1/0000/checking',
      spin: 'round',
      pinned: 'yes',
      passwordSet: true,
      hasSecret: false,
    };
    logger.info('harmless', harmless);
    const [keys, kept] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const key of secretKeys) expect(keys![key], key).toBe('[REDACTED]');
    expect(lines[0]).not.toMatch(/hidden-value/);
    expect(kept).toMatchObject(harmless);
    // A secret-named flag says nothing: it stays.
    logger.info('flags', { secret: true, password: null });
    expect(JSON.parse(lines[2]!)).toMatchObject({ secret: true, password: null });
  });

  it('redacts secrets inside escaped JSON, URL-encoded text, headers and connection addresses', () => {
    const password = 'hunter2hunter2';
    const cases = [
      JSON.stringify({ inner: JSON.stringify({ secret: SECRET }) }),
      JSON.stringify({ a: JSON.stringify({ b: JSON.stringify({ plaidSecret: SECRET }) }) }),
      `client_id=x&secret%3D${SECRET}&next=1`,
      `body=%7B%22secret%22%3A%22${SECRET}%22%7D`,
      `{"databasePassword":"${password}"}`,
      `joinCode: ${password}`,
      `Authorization: Bearer ${SECRET}`,
      `postgres://admin:${password}@db.office.lan:5432/assetdesk`,
      `{"password":"pa\\"ss${password}"}`,
    ];
    for (const text of cases) {
      const out = redactText(text);
      expect(out, text).not.toContain(SECRET);
      expect(out, text).not.toContain(password);
      expect(out, text).toContain('[REDACTED]');
    }
    // What only looks like a secret's name stays readable.
    for (const text of ['tokenType=bearer', '{"secretName":"x","tokenCount":3}', 'spin=3', 'https://x.example/a:b@c']) {
      expect(redactText(text), text).toBe(text);
    }
  });

  it('redacts a run-time secret in the forms it takes in URLs and JSON', () => {
    const password = 'p@ss"word/1';
    const text = `postgres://desk:${encodeURIComponent(password)}@db/x ${JSON.stringify({ v: password })} ${password}`;
    const out = redactText(text, [password]);
    expect(out).not.toContain(encodeURIComponent(password));
    expect(out).not.toContain(JSON.stringify(password).slice(1, -1));
    expect(out).not.toContain(password);
  });

  it('rotates by size and keeps a bounded number of files, owner-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assetdesk-log-'));
    try {
      const file = join(dir, 'logs', 'assetdesk.log');
      const logger = createLogger({ file, console: false, maxFileBytes: 4096, keepFiles: 2 });
      for (let i = 0; i < 500; i++) logger.info('report created', { n: i, note: 'x'.repeat(40) });
      const names = readdirSync(join(dir, 'logs')).sort();
      expect(names).toEqual(['assetdesk.log', 'assetdesk.log.1', 'assetdesk.log.2']);
      for (const name of names) {
        const stat = statSync(join(dir, 'logs', name));
        expect(stat.size).toBeLessThanOrEqual(4096);
        expect(stat.mode & 0o777).toBe(0o600);
      }
      expect(readFileSync(file, 'utf8')).toContain('"n":499');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!smallDiskAvailable())(
    'a full disk: logging never throws, failures are counted and reported once, writing resumes when space returns',
    () => {
      const disk = mountSmallDisk(128);
      try {
        const file = join(disk.dir, 'logs', 'assetdesk.log');
        const logger = createLogger({ file, console: false });
        const reported: LogWriteFailure[] = [];
        logger.onWriteFailure!((f) => reported.push(f));
        logger.info('before the disk filled');
        disk.fill();
        for (let i = 0; i < 200; i++) {
          expect(() =>
            logger.error('uncaught exception while the disk is full', { i, pad: 'y'.repeat(200) }),
          ).not.toThrow();
        }
        expect(logger.writeFailures!()).toBeGreaterThan(0);
        expect(reported).toHaveLength(1);
        expect(reported[0]!.message).toMatch(/disk is full/);
        // A listener added later still hears about it (the window may open after the first failure).
        const late: LogWriteFailure[] = [];
        logger.child({ component: 'late' }).onWriteFailure!((f) => late.push(f));
        expect(late).toHaveLength(1);
        rmSync(join(disk.dir, '.filler'));
        logger.info('space is back');
        expect(readFileSync(file, 'utf8')).toContain('space is back');
      } finally {
        disk.close();
      }
    },
  );
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CountryCode, Products } from 'plaid';
import { expectPlaidError, SPEC_PATH, SpecValidator } from '../contract/openapi-validator';

/** `npm run emulator`: prints its URL and credentials, serves Plaid calls on 127.0.0.1, stops on SIGTERM. */
const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) resolvePromise(text);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${text}`)));
  });
}

it('starts with flags and env credentials, answers the SDK, and exits on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
  const child = spawn(
    resolve(projectRoot, 'node_modules/.bin/tsx'),
    [
      'electron/emulator/cli.ts',
      '--port',
      '0',
      '--data',
      dir,
      '--ready-after-ms',
      '0',
      '--disable',
      'insights',
      '--auditor',
      'fannie_mae=fannie-cli-id:fannie-cli-secret',
    ],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        PLAID_EMULATOR_CLIENT_ID: 'cli-client-id-123',
        PLAID_EMULATOR_SECRET: 'cli-secret-456789',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const output = await waitForOutput(child, /State: .*\n/);
    const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(baseUrl).toBeDefined();
    expect(output).toContain('PLAID_CLIENT_ID=cli-client-id-123');
    const plaid = new SpecValidator().plaidClient(baseUrl!, 'cli-client-id-123', 'cli-secret-456789');
    const res = await plaid.institutionsGetById({ institution_id: 'ins_109508', country_codes: [CountryCode.Us] });
    expect(res.data.institution.name).toBe('First Platypus Bank');
    expect(output).toContain('auditor fannie_mae: client_id=fannie-cli-id secret=fannie-cli-secret');
    expect(output).toContain('Disabled products and add-ons: insights');
    const created = await plaid.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
    });
    const { access_token } = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
    const report = await plaid.assetReportCreate({ access_tokens: [access_token], days_requested: 10 });
    const refused = await expectPlaidError(
      plaid.assetReportGet({ asset_report_token: report.data.asset_report_token, include_insights: true }),
    );
    expect(refused.data.error_code).toBe('INSIGHTS_NOT_ENABLED');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

it('replays the spec examples with --replay-spec', async () => {
  const child = spawn(
    resolve(projectRoot, 'node_modules/.bin/tsx'),
    [
      'electron/emulator/cli.ts',
      '--replay-spec',
      SPEC_PATH,
      '--port',
      '0',
      '--client-id',
      'r-id',
      '--secret',
      'r-secret',
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const output = await waitForOutput(child, /PLAID_SECRET=.*\n/);
    const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    const plaid = new SpecValidator().plaidClient(baseUrl, 'r-id', 'r-secret');
    const item = await plaid.itemGet({ access_token: 'access-sandbox-x' });
    expect(item.data.item.item_id).toBeTruthy();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../electron/emulator';
import { realKeytar, testKeychainService } from '../helpers/keychain';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import { createApplicant, startHarness, until, type CoreHarness } from './harness';

/**
 * Hosted Link sessions and the built-in emulator's data outlive the app: real services stopped and
 * started again over the same data folder and keychain entry, the built-in emulator (no test double)
 * restarted with them.
 */

const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-hosted-'));
const keychainService = testKeychainService();
const DAY_MS = 24 * 3600_000;
let clockOffsetMs = 0;
let h: CoreHarness | null = null;

const run = () =>
  startHarness({
    userDataDir,
    keychainService,
    services: {
      startEmulator: undefined, // the app's own built-in emulator, with its data folder and storage key
      emulatorOptions: { readyAfterMs: 50 },
      clock: () => new Date(Date.now() + clockOffsetMs),
    },
  });
const restart = async () => {
  await h?.close();
  h = await run();
  return h;
};
const builtIn = (harness: CoreHarness) => harness.services.internals.emulator() as RunningEmulator;

afterAll(async () => {
  await h?.close();
  rmSync(userDataDir, { recursive: true, force: true });
  const keytar = await realKeytar();
  for (const account of ['data-key', 'plaid:sandbox', 'plaid:production'])
    await keytar.deletePassword(keychainService, account).catch(() => false);
});

/** The applicant, on their own device, finishes the Hosted Link at First Platypus Bank. */
async function applicantFinishes(emulator: RunningEmulator, linkToken: string, hostedUrl: string) {
  const ui = async (name: string, body: Record<string, unknown>) => {
    const res = await fetch(`${emulator.baseUrl}/link/ui/_api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: emulator.baseUrl },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const session = await ui('session', { link_token: linkToken, hosted_link_id: hostedUrl.split('/').at(-1) });
  const login = {
    link_token: linkToken,
    link_session_id: session.link_session_id,
    institution_id: 'ins_109508',
    username: 'user_good',
    password: 'pass_good',
  };
  const accounts = (await ui('credentials', login)).accounts as Array<{ id: string }>;
  await ui('complete', { ...login, account_ids: [accounts[0]!.id] });
}

let applicantId: string;
let loanId: string;
let first: { hostedLinkId: string; url: string; expiration: string };

test('a Hosted Link lasts the officer’s setting (default three days), Plaid’s expiration is kept, the token only encrypted', async () => {
  const app = await restart();
  ({ id: applicantId, loanId } = await createApplicant(app.handlers));
  expect((await app.handlers['settings:get']({})).hostedLinkLifetimeSeconds).toBe(3 * 24 * 3600);
  first = await app.handlers['link:createHosted']({ applicantId });
  const lifetime = Date.parse(first.expiration) - Date.now();
  expect(lifetime).toBeGreaterThan(3 * DAY_MS - 60_000);
  expect(lifetime).toBeLessThanOrEqual(3 * DAY_MS + 1000);

  const store = app.services.internals.store()!;
  const linkToken = (await store.hostedLinkSessions.linkToken(first.hostedLinkId))!;
  const atPlaid = await emulatorPlaid(builtIn(app)).linkTokenGet({ link_token: linkToken });
  expect(atPlaid.data.expiration).toBe(first.expiration);
  store.checkpoint();
  const file = readFileSync(join(userDataDir, 'assetdesk.sqlite'));
  expect(file.includes(Buffer.from(linkToken))).toBe(false);
  expect(file.includes(Buffer.from(first.url))).toBe(false);

  const sessions = await app.handlers['link:hostedSessions']({ applicantId });
  expect(sessions).toEqual([expect.objectContaining({ id: first.hostedLinkId, status: 'waiting', itemIds: [] })]);
  expect(app.responses.join('\n')).not.toContain(linkToken);
});

test('after a restart the session is resumed through /link/token/get and its Item is added', async () => {
  const app = await restart();
  const sessions = await app.handlers['link:hostedSessions']({ applicantId });
  expect(sessions.map((s) => [s.id, s.status])).toEqual([[first.hostedLinkId, 'waiting']]);

  // The emulator kept its Link token across the restart (same storage key from the keychain).
  const linkToken = (await app.services.internals.store()!.hostedLinkSessions.linkToken(first.hostedLinkId))!;
  await applicantFinishes(builtIn(app), linkToken, first.url);
  // No webhook can reach us (the old run's loopback URL is gone): the resumed poll must find it.
  await until(
    () => app.events.find((e) => e.event === 'link:hostedFinished'),
    'the resumed Hosted Link session to finish',
  );
  const [session] = await app.handlers['link:hostedSessions']({ applicantId });
  expect(session).toMatchObject({ status: 'completed', finishedAt: expect.any(String) });
  expect(session!.itemIds).toHaveLength(1);
  const { items } = await app.handlers['loans:get']({ loanId });
  expect(items.map((i) => i.institutionName)).toEqual(['First Platypus Bank']);
  // The ended session's token is destroyed.
  expect(await app.services.internals.store()!.hostedLinkSessions.linkToken(first.hostedLinkId)).toBeNull();
});

test('a session expires when Plaid’s expiration passes, not before', async () => {
  const app = h!;
  await app.handlers['settings:update']({ hostedLinkLifetimeSeconds: 3600 });
  const short = await app.handlers['link:createHosted']({ applicantId });
  expect(Date.parse(short.expiration) - Date.now()).toBeLessThanOrEqual(3600_000 + 1000);
  expect((await app.handlers['link:hostedStatus']({ hostedLinkId: short.hostedLinkId })).status).toBe('waiting');

  clockOffsetMs = 30 * 60_000; // half an hour later: still valid at Plaid
  const later = await restart();
  expect((await later.handlers['link:hostedStatus']({ hostedLinkId: short.hostedLinkId })).status).toBe('waiting');

  clockOffsetMs = 61 * 60_000; // past Plaid's expiration
  expect((await later.handlers['link:hostedStatus']({ hostedLinkId: short.hostedLinkId })).status).toBe('expired');
  const sessions = await later.handlers['link:hostedSessions']({ applicantId });
  expect(sessions.find((s) => s.id === short.hostedLinkId)).toMatchObject({
    status: 'expired',
    expiration: short.expiration,
  });
  clockOffsetMs = 0;
});

test('the officer revokes a link: AssetDesk forgets it and ignores what the applicant does with it', async () => {
  const app = h!;
  await app.handlers['settings:update']({ hostedLinkLifetimeSeconds: 2 * 24 * 3600 });
  const sent = await app.handlers['link:createHosted']({ applicantId });
  const store = app.services.internals.store()!;
  const linkToken = (await store.hostedLinkSessions.linkToken(sent.hostedLinkId))!;
  const revoked = await app.handlers['link:revokeHosted']({ hostedLinkId: sent.hostedLinkId });
  expect(revoked).toMatchObject({ status: 'revoked', finishedAt: expect.any(String) });
  expect(await store.hostedLinkSessions.linkToken(sent.hostedLinkId)).toBeNull();

  const itemsBefore = (await app.handlers['loans:get']({ loanId })).items.length;
  await applicantFinishes(builtIn(app), linkToken, sent.url).catch(() => undefined);
  expect((await app.handlers['link:hostedStatus']({ hostedLinkId: sent.hostedLinkId })).status).toBe('revoked');
  expect((await app.handlers['loans:get']({ loanId })).items.length).toBe(itemsBefore);
});

test('delivery by SMS or e-mail sends the applicant’s contact details to Plaid', async () => {
  const app = h!;
  const sent = await app.handlers['link:createHosted']({ applicantId, deliveryMethod: 'sms' });
  const store = app.services.internals.store()!;
  expect((await store.hostedLinkSessions.get(sent.hostedLinkId))?.deliveryMethod).toBe('sms');
  const linkToken = (await store.hostedLinkSessions.linkToken(sent.hostedLinkId))!;
  const got = await emulatorPlaid(builtIn(app)).linkTokenGet({ link_token: linkToken });
  expect(got.data.link_token).toBe(linkToken);
  await app.handlers['link:revokeHosted']({ hostedLinkId: sent.hostedLinkId });
});

test('the built-in emulator’s sealed data survives a restart (its storage key comes from the keychain)', async () => {
  const app = h!;
  const plaid = emulatorPlaid(builtIn(app));
  const secretBefore = builtIn(app).secret;
  const { items } = await app.handlers['loans:get']({ loanId });
  const accessToken = await app.services.internals.store()!.items.accessToken(items[0]!.id);
  const created = await plaid.assetReportCreate({
    access_tokens: [accessToken],
    days_requested: 30,
    options: { user: { client_user_id: applicantId, ssn: '123-45-6789', first_name: 'Alberta' } },
  });
  const after = await restart();
  expect(builtIn(after).secret).toBe(secretBefore);
  const plaidAfter = emulatorPlaid(builtIn(after));
  let report = null;
  for (let attempt = 0; attempt < 100 && !report; attempt++) {
    report = await plaidAfter
      .assetReportGet({ asset_report_token: created.data.asset_report_token })
      .then((r) => r.data)
      .catch(() => null);
    if (!report) await new Promise((r) => setTimeout(r, 50));
  }
  expect(report?.report.user.ssn).toBe('123-45-6789');
});

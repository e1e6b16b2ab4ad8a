import { createApplicant, startHarness, type CoreHarness } from './harness';

/**
 * The OAuth redirect URI goes into /link/token/create only for the environment the officer registered
 * it for (Plaid refuses an unregistered one), never in emulator mode and never for Hosted Link.
 */

let h: CoreHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function redirectUriOf(linkToken: string) {
  return (await h.plaid.linkTokenGet({ link_token: linkToken })).data.metadata.redirect_uri ?? null;
}

test('Sandbox with a registered redirect URI: Link tokens carry it; emulator mode and Hosted Link do not', async () => {
  const applicant = await createApplicant(h.handlers);
  const redirect = 'https://assetdesk.example.com/oauth-return';
  await h.handlers['settings:update']({ oauthRedirectUri: { environment: 'sandbox', uri: redirect } });
  expect((await h.handlers['settings:get']({})).oauthRedirectUri).toEqual({ sandbox: redirect, production: null });

  const inEmulatorMode = await h.handlers['link:createToken']({ applicantId: applicant.id });
  expect(await redirectUriOf(inEmulatorMode.linkToken)).toBeNull();

  // "Sandbox" here is the test emulator standing in for Plaid's Sandbox host.
  await h.services.handlers['credentials:save']({
    environment: 'sandbox',
    clientId: h.emulator.clientId,
    secret: h.emulator.secret,
  });
  await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
  const inSandbox = await h.handlers['link:createToken']({ applicantId: applicant.id });
  expect(await redirectUriOf(inSandbox.linkToken)).toBe(redirect);

  const hosted = await h.handlers['link:createHosted']({ applicantId: applicant.id });
  const store = h.services.internals.store()!;
  expect(await redirectUriOf((await store.hostedLinkSessions.linkToken(hosted.hostedLinkId))!)).toBeNull();

  await h.handlers['settings:update']({ oauthRedirectUri: { environment: 'sandbox', uri: null } });
  const cleared = await h.handlers['link:createToken']({ applicantId: applicant.id });
  expect(await redirectUriOf(cleared.linkToken)).toBeNull();
  await h.handlers['settings:switchEnvironment']({ environment: 'emulator' });
});

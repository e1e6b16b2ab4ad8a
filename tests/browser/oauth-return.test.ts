import { addApplicant, emulatorLink, openDeskPage, type DeskSession } from './support/desk';

/**
 * The page's side of an OAuth bank's return: when the main process says the bank sent Link's pop-up
 * to the officer's redirect URI (link:oauthReturned), the hand-off screen re-creates Link with the same
 * link token and that full address as receivedRedirectUri. Seen on the wire: the session request the
 * emulator's Link makes when it is created.
 */
let session: DeskSession;
const sessionRequests: Array<{ link_token?: string; received_redirect_uri?: string }> = [];

beforeAll(async () => {
  session = await openDeskPage('oauth-return');
  session.page.on('request', (request) => {
    if (!request.url().endsWith('/link/ui/_api/session')) return;
    sessionRequests.push(JSON.parse(request.postData() ?? '{}') as (typeof sessionRequests)[number]);
  });
});
afterAll(async () => {
  await session?.close();
});

test('no Link open yet: the event changes nothing', async () => {
  const { page, desk } = session;
  await addApplicant(page, {
    firstName: 'Rhoda',
    lastName: 'Return',
    loanNumber: 'OR-4001',
    income: '7600',
    fundsToClose: '38000',
  });
  await page.getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-start').waitFor();
  desk.publish('link:oauthReturned', { receivedRedirectUri: 'https://desk.example/oauth?oauth_state_id=early' });
  await page.waitForTimeout(300); // give a wrong re-open the time to show; the assertion below decides
  expect(sessionRequests).toEqual([]);
  await expect(page.getByTestId('link-start').isVisible()).resolves.toBe(true);
});

test('Link is re-created with the same token and receivedRedirectUri when the bank returns', async () => {
  const { page, desk } = session;
  await page.getByTestId('link-start').click();
  await emulatorLink(page).getByTestId('consent-continue').waitFor();
  expect(sessionRequests).toHaveLength(1);
  const first = sessionRequests[0]!;
  expect(first.link_token).toMatch(/^link-/);
  expect(first.received_redirect_uri).toBeUndefined();

  const returned = 'https://desk.example/oauth-return?oauth_state_id=3f2a-77';
  desk.publish('link:oauthReturned', { receivedRedirectUri: returned });
  await expect.poll(() => sessionRequests.length, { timeout: 10_000 }).toBe(2);
  expect(sessionRequests[1]).toEqual({ link_token: first.link_token, received_redirect_uri: returned });
  // One Link on the page: the first handler was destroyed before the new one was made.
  await expect.poll(() => page.locator('iframe[data-plaid-emulator="link"]').count()).toBe(1);
});

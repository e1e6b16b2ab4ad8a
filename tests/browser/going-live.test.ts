import { addApplicant, openDeskPage, seriousViolations, SCREENSHOTS, type DeskSession } from './support/desk';

/**
 * What an officer going live sees: how readiness reaches AssetDesk (polling or webhooks, with the
 * URLs), the Plaid Check note beside the Production keys, and the applicant's Hosted Links with
 * their state, expiry and Withdraw.
 */
let session: DeskSession;

beforeAll(async () => {
  session = await openDeskPage('going-live');
});
afterAll(async () => {
  await session?.close();
});

test('Settings says plainly whether AssetDesk polls or receives webhooks, and notes Plaid Check by the Production keys', async () => {
  const { page } = session;
  await page.getByTestId('nav-settings').click();
  const delivery = page.getByTestId('webhook-delivery');
  await delivery.waitFor();
  // Emulator mode: the emulator runs on this computer, so it can call the loopback receiver.
  expect(await delivery.getAttribute('data-mode')).toBe('webhook');
  expect(await page.getByTestId('webhook-plaid-url').textContent()).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/plaid\/webhook$/,
  );
  expect(await page.getByTestId('plaid-check-note').textContent()).toContain('Plaid Check Consumer Reports');
  expect(await page.getByTestId('credentials-production').locator('..').getByTestId('plaid-check-note').count()).toBe(
    1,
  );

  await page.getByTestId('webhook-enabled').uncheck();
  await page.getByRole('button', { name: 'Save webhook settings' }).click();
  await page.locator('[data-testid="webhook-delivery"][data-mode="polling"]').waitFor();
  expect(await delivery.textContent()).toContain('Polling.');
  expect(await page.getByTestId('hosted-link-lifetime').inputValue()).toBe(String(3 * 24 * 3600));
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/settings-connection-to-plaid.png`, fullPage: true });
  // A public URL: Plaid is given it, and Settings says where it must forward to on this computer.
  await page.getByTestId('webhook-enabled').check();
  await page.getByTestId('webhook-url').fill('https://desk.example.com/plaid/webhook');
  await page.getByRole('button', { name: 'Save webhook settings' }).click();
  await page.locator('[data-testid="webhook-delivery"][data-mode="webhook"]').waitFor();
  expect(await page.getByTestId('webhook-plaid-url').textContent()).toBe('https://desk.example.com/plaid/webhook');
  expect(await page.getByTestId('webhook-local-url').textContent()).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/plaid\/webhook$/,
  );
});

test('the applicant shows each Hosted Link with its state and expiry, and the officer can withdraw one', async () => {
  const { page } = session;
  await addApplicant(page, {
    firstName: 'Wendy',
    lastName: 'Weekend',
    loanNumber: 'WK-4001',
    income: '6400',
    fundsToClose: '22000',
  });
  await page.getByText('No Hosted Links sent').waitFor();
  await page.getByTestId('send-hosted-link').click();
  await page.getByTestId('hosted-url').waitFor();
  await page.getByTestId('hosted-link-dialog').getByRole('button', { name: 'Close' }).last().click();
  const row = page.getByTestId('hosted-session');
  await row.waitFor();
  expect(await row.getAttribute('data-status')).toBe('waiting');
  expect(await row.textContent()).toContain('valid until');
  expect(await seriousViolations(page)).toEqual([]);

  await row.getByTestId('revoke-hosted').click();
  await page.getByTestId('confirm-ok').click();
  await page.locator('[data-testid="hosted-session"][data-status="revoked"]').waitFor();
  expect(await page.getByTestId('hosted-session-status').textContent()).toBe('Withdrawn');
  expect(await row.getByTestId('revoke-hosted').count()).toBe(0);
});

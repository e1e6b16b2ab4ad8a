import { addApplicant, openDeskPage, type DeskSession } from './support/desk';

/**
 * When Plaid's Link script cannot load (offline, blocked), the applicant's screen offers Hosted
 * Link right there instead of a dead button, and its Copy button goes through the main process.
 */
let session: DeskSession;

beforeAll(async () => {
  session = await openDeskPage('link-fallback');
});
afterAll(async () => {
  await session?.close();
});

test("offers Hosted Link on the same screen when Link's script cannot load, and copies through the main process", async () => {
  const { page, desk } = session;
  await addApplicant(page, {
    firstName: 'Grace',
    lastName: 'Okafor',
    loanNumber: 'FB-2001',
    income: '7100',
    fundsToClose: '30000',
  });
  // The script is unreachable, as it is offline or behind a blocking proxy.
  await page.route('**/link-initialize.js', (route) => route.abort('internetdisconnected'));
  await page.getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-start').click();
  await page.getByTestId('link-error').waitFor();
  expect(await page.getByTestId('link-error-message').textContent()).toContain('could not be loaded');
  expect(await page.getByTestId('link-hosted-offer').isVisible()).toBe(true);

  await page.getByTestId('link-use-hosted').click();
  await page.getByTestId('hosted-link-dialog').waitFor();
  await page.getByTestId('hosted-url').waitFor();
  const url = await page.getByTestId('hosted-url').inputValue();
  expect(url).toMatch(/^https?:\/\//);
  await page.getByTestId('copy-hosted-url').click();
  await expect.poll(() => desk.bridge.clipboard()).toContain(url);
  // The page says so once the main process answers (which may be just after the clipboard changed).
  await page.getByTestId('hosted-link-dialog').getByText('Copied to the clipboard.').waitFor();
});

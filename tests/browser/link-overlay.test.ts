import type { Page } from 'playwright';
import { decodeWire, decodeWireBytes } from '../../shared/ipc/codec';
import { addApplicant, emulatorLink, openDeskPage, type DeskSession } from './support/desk';

/**
 * Plaid Link over the borrower's screen: while its frame is open the page behind it is inert (Tab and a screen
 * reader stay in Link), and a Link that never loads is taken away after a while with a way out from the keyboard.
 */

let session: DeskSession;
let page: Page;

beforeAll(async () => {
  session = await openDeskPage('link-overlay');
  page = session.page;
  await addApplicant(page, {
    firstName: 'Nadia',
    lastName: 'Osei',
    loanNumber: 'LO-3001',
    income: '6400',
    fundsToClose: '22000',
  });
  await page.getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-greeting').waitFor();
});
afterAll(async () => {
  await session?.close();
});

/** Where the page's focus is: in Link's frame, on an element of the app (its test id or tag), or on the body. */
function focusedPlace(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    if (el instanceof HTMLIFrameElement && el.dataset.plaidEmulator === 'link') return 'link';
    return `app: ${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()}`;
  });
}

/** The names of the buttons of the app (not of Link's frame) that a screen reader can reach now. */
async function appButtonsInTree(): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes
      .filter((node) => !node.ignored && node.role?.value === 'button')
      .map((node) => String(node.name?.value ?? ''));
  } finally {
    await cdp.detach();
  }
}

test('a Link that never loads is taken away, and Cancel gives the focus back to the button that opened it', async () => {
  // Link's script loads but its frame never answers (a network that lets one through and not the other).
  await page.route('**/link/ui/index.html*', () => {});
  await page.getByTestId('link-start').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('link-progress').waitFor();
  await expect.poll(() => page.locator('#root[inert]').count()).toBe(1);
  // Before: "Follow the steps in the Plaid window" stayed, with no window and nothing to press, for good.
  await page.getByTestId('link-stalled').waitFor({ timeout: 30_000 });
  expect(await page.locator('#root[inert]').count()).toBe(0);
  expect(await page.locator('iframe[data-plaid-emulator="link"]').count()).toBe(0);
  expect(await focusedPlace()).toBe('app: link-stalled');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await focusedPlace()).toBe('app: link-cancel');
  await page.keyboard.press('Enter');
  await page.getByTestId('link-greeting').waitFor();
  expect(await focusedPlace()).toBe('app: link-start');
  await page.unroute('**/link/ui/index.html*');
}, 60_000);

test('while Link is open, Tab and a screen reader stay in it; when it closes, the page is back', async () => {
  expect(await appButtonsInTree()).toContain('Return to officer');
  const bridgeCall = (channel: string) => (url: string) => url.endsWith(`/invoke/${encodeURIComponent(channel)}`);
  const tokenMade = page.waitForResponse((response) => bridgeCall('link:createToken')(response.url()));
  await page.getByTestId('link-start').focus();
  await page.keyboard.press('Enter');
  const made = decodeWireBytes(new Uint8Array(await (await tokenMade).body()).buffer) as {
    value: { linkToken: string };
  };
  const link = emulatorLink(page);
  await link.getByTestId('consent-continue').waitFor();
  const stops: string[] = [];
  const tabs = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focusedPlace());
    }
  };
  await tabs(12); // from inside Link's frame (which keeps Tab among its own controls)
  // From the page itself, as when Link's frame has not taken the focus (or lost it to a click outside its card).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabs(12);
  // Before: from the page, Tab went to the app hidden under the frame ("Return to officer" first), and a screen
  // reader found all of the app's buttons in the accessibility tree.
  expect(stops.filter((stop) => stop.startsWith('app'))).toEqual([]);
  expect(stops).toContain('link');
  expect(await appButtonsInTree()).not.toContain('Return to officer');

  // Leaving Link tells the main process which Link ended (on a team, its hold on the team's environment goes).
  const exited = page.waitForRequest((request) => bridgeCall('link:exited')(request.url()));
  await link.getByTestId('link-close').click();
  await link.getByTestId('exit-confirm-yes').click();
  await page.getByTestId('link-exited').waitFor();
  expect(decodeWire((await exited).postData() ?? '')).toEqual({
    applicantId: expect.any(String),
    linkToken: made.value.linkToken,
  });
  expect(await page.locator('#root[inert]').count()).toBe(0);
  expect(await appButtonsInTree()).toContain('Return to officer');
  expect(await focusedPlace()).toBe('app: link-exited');
});

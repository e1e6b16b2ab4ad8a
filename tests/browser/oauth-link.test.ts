import type { Page } from 'playwright';
import { createEnvironmentPolicy } from '../../electron/main/environment-policy';
import { classifyWindowOpen, isAllowedPopupNavigation } from '../../electron/main/security';
import { addApplicant, emulatorLink, openDeskPage, SCREENSHOTS, type DeskSession } from './support/desk';

/**
 * An OAuth bank through the app's own Link flow in Chromium: Link opens the bank's consent page in a
 * pop-up on the bank's own origin. The web bridge cannot install Electron's window-open handler, so
 * every pop-up is put through the app's pop-up decision here (by the page it is sent to) and closed
 * when the policy would deny it.
 */
let session: DeskSession;

beforeAll(async () => {
  session = await openDeskPage('oauth-link');
});
afterAll(async () => {
  await session?.close();
});

test('Platypus OAuth Bank completes through the bank pop-up the app’s pop-up policy allows', async () => {
  const { page, desk } = session;
  const policy = createEnvironmentPolicy({
    environment: 'emulator',
    emulatorOrigin: desk.app.emulatorOrigin(),
    emulatorBankOrigin: desk.app.emulatorBankOrigin(),
  });
  const popupPolicy = { emulatorOrigin: () => policy.popupOrigins() };
  const decisions: Array<{ url: string; decision: string }> = [];
  const guard = async (popup: Page) => {
    // Link opens the bank's page itself; judge the pop-up by where it is (never a blank page filled in later).
    await popup.waitForURL((url) => url.href !== 'about:blank');
    const decision = classifyWindowOpen(popup.url(), popupPolicy);
    decisions.push({ url: popup.url(), decision });
    if (decision === 'deny') await popup.close();
    // Navigation inside the pop-up is held to the same rule as Electron's pop-up guards.
    popup.on('framenavigated', (frame) => {
      if (frame === popup.mainFrame() && !isAllowedPopupNavigation(frame.url(), popupPolicy))
        void popup.close().catch(() => undefined);
    });
  };
  page.context().on('page', (popup) => void guard(popup));

  await addApplicant(page, {
    firstName: 'Oscar',
    lastName: 'Auth',
    loanNumber: 'OA-3001',
    income: '8200',
    fundsToClose: '41000',
  });
  await page.getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-start').click();
  const link = emulatorLink(page);
  await link.getByTestId('consent-continue').click();
  await link.getByTestId('institution-search').fill('OAuth');
  await link.getByTestId('institution-ins_127287').click();
  const [popup] = await Promise.all([page.waitForEvent('popup'), link.getByTestId('oauth-continue').click()]);
  await popup.getByTestId('oauth-allow').waitFor();
  expect(new URL(popup.url()).origin).toBe(desk.emulator().bankOrigin);
  expect(decisions.map((d) => d.decision)).toEqual(['allow-link-popup']);
  await popup.screenshot({ path: `${SCREENSHOTS}/oauth-bank-popup.png` });
  await Promise.all([popup.waitForEvent('close'), popup.getByTestId('oauth-allow').click()]);

  await link.getByTestId('accounts-continue').click();
  await link.getByTestId('connected-continue').click();
  await page.getByTestId('link-success').waitFor();
  expect(await page.getByTestId('linked-bank').allTextContents()).toEqual([
    expect.stringContaining('Platypus OAuth Bank'),
  ]);
  const applicantId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!.split('?')[0]!);
  const items = await desk.app.internals.store()!.items.listForApplicant(applicantId, 'emulator');
  expect(items.map((i) => [i.institutionId, i.status])).toEqual([['ins_127287', 'ok']]);
});

test('without the bank origin in the policy the consent pop-up is refused and Link cannot finish', async () => {
  const refused = createEnvironmentPolicy({
    environment: 'emulator',
    emulatorOrigin: session.desk.app.emulatorOrigin(),
  });
  const bank = session.desk.app.emulatorBankOrigin();
  expect(bank).not.toBeNull();
  expect(classifyWindowOpen(`${bank}/oauth/authorize`, { emulatorOrigin: () => refused.popupOrigins() })).toBe('deny');
});

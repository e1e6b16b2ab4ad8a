import type { Page } from 'playwright';
import { openDeskPage, seriousViolations, type DeskSession } from './support/desk';

/**
 * The shell's status line for start-up work behind the window: the main process's
 * `app:backgroundWork` events, pushed through the real bridge, shown and cleared as the officer sees them.
 */
let session: DeskSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await openDeskPage('background-work');
  page = session.page;
});
afterAll(() => session?.close());

test('nothing shows while no work runs; a running step shows its message, and clears when done', async () => {
  expect(await page.getByTestId('background-work').count()).toBe(0);
  const line = page.getByTestId('background-work');
  // The page may still be subscribing to events when it first paints: the same state is published until it shows.
  await expect
    .poll(async () => {
      session!.desk.publish('app:backgroundWork', {
        work: {
          task: 'resumingReports',
          count: 3,
          state: 'running',
          message: 'Checking 3 pending reports with Plaid…',
        },
      });
      return line.getByText('Checking 3 pending reports with Plaid…').count();
    })
    .toBe(1);
  expect(await line.getAttribute('role')).toBe('status');
  expect(await page.getByTestId('background-work-dismiss').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  session!.desk.publish('app:backgroundWork', { work: null });
  await line.waitFor({ state: 'detached' });
});

test('a failed step stays, on every screen, until the officer dismisses it', async () => {
  const message = '2 reports past retention could not be removed at Plaid. AssetDesk tries again tomorrow.';
  session!.desk.publish('app:backgroundWork', {
    work: { task: 'retention', count: 2, state: 'failed', message },
  });
  const line = page.getByTestId('background-work');
  await line.getByText(message).waitFor();
  await page.getByTestId('nav-settings').click();
  await line.getByText(message).waitFor();
  await page.getByTestId('background-work-dismiss').click();
  await line.waitFor({ state: 'detached' });
});

test('the page raised no script errors', () => {
  expect(session!.recorder.errors).toEqual([]);
});

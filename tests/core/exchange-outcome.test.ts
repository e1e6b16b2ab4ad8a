import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import type { AppServicesDeps } from '../../electron/services/app-services';
import { requireKeychain } from '../helpers/keychain';
import { startCountingProxy, type CountingProxy } from './counting-proxy';
import {
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  startHarness,
  until,
  type CoreHarness,
} from './harness';

const hasKeychain = await requireKeychain();

/**
 * Link completion when the public-token exchange ends with no answer: the exchange is not sent again,
 * nothing is half-recorded, the officer is told plainly, and linking the same bank again succeeds.
 * Every call is counted on the wire between the app and the emulator.
 */
describe.skipIf(!hasKeychain)('public-token exchange with an unknown outcome (real services, emulator)', () => {
  let emulator: RunningEmulator;
  let proxy: CountingProxy;
  const harnesses: CoreHarness[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      logger: createMemoryLogger(),
    });
  });
  afterEach(async () => {
    emulator.faults.reset();
    for (const h of harnesses.splice(0)) await h.close();
    await proxy?.close();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  async function appThroughProxy(services: Partial<AppServicesDeps> = {}): Promise<CoreHarness> {
    proxy = await startCountingProxy(emulator.baseUrl);
    const h = await startHarness({
      emulator,
      services: {
        startEmulator: async () => ({ ...emulator, baseUrl: proxy.url, close: async () => undefined }),
        ...services,
      },
    });
    harnesses.push(h);
    return h;
  }

  test('a timeout after Plaid made the Item: one exchange, nothing stored, the same bank links again', async () => {
    const h = await appThroughProxy({ gatewayOptions: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 700 } });
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    emulator.faults.addLatency('/item/public_token/exchange', 1500);

    const error = await linkBank(h, applicantId).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      retryable: false,
      message: expect.stringMatching(/Nothing was saved here.*not sent twice.*link it again/s),
    });
    await new Promise((resolve) => setTimeout(resolve, 1600)); // the emulator has made its Item by now
    expect(proxy.count('/item/public_token/exchange')).toBe(1);
    expect(proxy.count('/accounts/get')).toBe(0);

    const store = h.services.internals.store()!;
    expect(await store.items.listForApplicant(applicantId, 'emulator')).toEqual([]);
    const { items } = await h.handlers['loans:get']({ loanId });
    expect(items).toEqual([]);
    const actions = (await store.activity.list({ applicantId })).map((e) => e.action);
    expect(actions).toContain('item_link_outcome_unknown');
    expect(actions).not.toContain('item_linked');

    // The applicant links the same bank again: not refused as a duplicate, stored once.
    emulator.faults.reset();
    const item = await linkBank(h, applicantId);
    expect(item).toMatchObject({ institutionId: 'ins_109508', status: 'ok' });
    expect((await store.items.listForApplicant(applicantId, 'emulator')).map((i) => i.id)).toEqual([item.id]);
    expect(proxy.count('/item/public_token/exchange')).toBe(2);
  });

  test('a 500 on the exchange: not repeated, nothing stored, the same bank links again at once', async () => {
    const h = await appThroughProxy();
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    emulator.faults.failNext('/item/public_token/exchange', 500, 1);
    await expect(linkBank(h, applicantId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(proxy.count('/item/public_token/exchange')).toBe(1);
    const again = await linkBank(h, applicantId);
    expect((await h.handlers['loans:get']({ loanId })).items.map((i) => i.id)).toEqual([again.id]);
  });

  test('an Item that cannot be kept here (the loan file was deleted meanwhile) is removed at Plaid', async () => {
    const h = await appThroughProxy();
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    emulator.faults.addLatency('/accounts/get', 800);
    const linking = linkBank(h, applicantId).catch((e: unknown) => e);
    // The exchange is done and /accounts/get is on its way (held 800 ms by the emulator).
    await until(() => proxy.count('/accounts/get') === 1, 'the accounts read');
    await h.handlers['loans:delete']({ loanId });
    const error = await linking;
    expect(error).toBeInstanceOf(Error);
    expect(proxy.count('/item/public_token/exchange')).toBe(1);
    expect(proxy.count('/item/remove')).toBe(1);
    expect(await h.services.internals.store()!.items.listForApplicant(applicantId, 'emulator')).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAssetDeskStore, type AssetDeskStore } from '../../electron/db';
import type { PipelineQuery } from '../../electron/db/repositories/loans';

/** A store in a fresh temp folder, with a settable clock; `cleanup()` closes it and deletes the folder. */
export async function tempStore(options: { dataKey?: Buffer; start?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-store-'));
  const file = join(dir, 'user-data', 'assetdesk.sqlite');
  const dataKey = options.dataKey ?? randomBytes(32);
  let now = new Date(options.start ?? '2026-11-02T12:00:00.000Z');
  const clock = () => new Date(now);
  const stores: AssetDeskStore[] = [];
  const open = async () => {
    const store = await openAssetDeskStore({ file, dataKey, clock });
    stores.push(store);
    return store;
  };
  const store = await open();
  return {
    dir,
    file,
    dataKey,
    store,
    open,
    /** The store's clock now. */
    now: () => new Date(now),
    setNow(iso: string) {
      now = new Date(iso);
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    async cleanup() {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { applicantInput } from '../helpers/applicant';

export {
  FAKE_ACCESS_TOKEN as ACCESS_TOKEN,
  FAKE_REPORT_TOKEN as REPORT_TOKEN,
  FAKE_AUDIT_COPY_TOKEN as AUDIT_TOKEN,
} from '../helpers/fake-tokens';
export const SSN = '512-44-8123';

/** The pipeline as the app lists it: Sandbox, Fannie Mae's document-age rule, the helpers' start day. */
export async function pipeline(store: AssetDeskStore, query: Partial<PipelineQuery> = {}) {
  return store.loans.pipeline({
    environment: 'sandbox',
    documentAgeRule: 'fannie_4_months',
    today: '2026-11-02',
    ...query,
  });
}

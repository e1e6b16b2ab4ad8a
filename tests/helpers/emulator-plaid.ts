import { Configuration, PlaidApi, Products } from 'plaid';
import type { ContractHandlers } from '../../shared/ipc/contract';

/**
 * The official Plaid SDK pointed at a running emulator, the way tests, fixtures and benchmarks talk
 * to it directly (the app itself goes through its gateway).
 */
export function emulatorPlaid(emulator: { baseUrl: string; clientId: string; secret: string }): PlaidApi {
  return new PlaidApi(
    new Configuration({
      basePath: emulator.baseUrl,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret } },
    }),
  );
}

/**
 * Links a Sandbox bank for an applicant the way Link would end: a public token from
 * /sandbox/public_token/create, handed to the app's own link:complete.
 */
export async function linkSandboxBank(
  plaid: PlaidApi,
  handlers: Pick<ContractHandlers, 'link:complete'>,
  applicantId: string,
  { institutionId = 'ins_109508', name = 'First Platypus Bank', username }: LinkOptions = {},
) {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: institutionId,
    initial_products: [Products.Assets],
    ...(username ? { options: { override_username: username } } : {}),
  });
  return handlers['link:complete']({
    applicantId,
    publicToken: created.data.public_token,
    metadata: {
      institution: { institution_id: institutionId, name },
      accounts: [{ id: 'acc', name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' }],
      link_session_id: 'sandbox',
    },
  });
}

export interface LinkOptions {
  institutionId?: string;
  name?: string;
  /** A Sandbox persona (override_username), e.g. user_heavy. */
  username?: string;
}

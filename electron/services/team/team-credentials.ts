import type { TeamStore } from '../../db/team-store';
import type { CredentialEnvironment, KeychainVault, PlaidCredentials } from '../vault';

const secretName = (environment: CredentialEnvironment) => `plaid:${environment}`;
/** PostgreSQL's SQLSTATE for a privilege the login does not have. */
const PERMISSION_DENIED = '42501';

/**
 * The desk's vault, except that on a team the Plaid keys are the team's: the admin saves them once, sealed
 * with the team key in the team database, and every officer's desk reads them from there. The local data
 * key and everything else stay in this desk's keychain.
 */
export function withTeamCredentials(local: KeychainVault, team: () => TeamStore | null): KeychainVault {
  return {
    ...local,
    async getCredentials(environment) {
      const store = team();
      if (!store) return local.getCredentials(environment);
      // A processor's login may not read the team's keys (the team schema's grants): this desk has none.
      const text = await store.secrets.get(secretName(environment)).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === PERMISSION_DENIED) return null;
        throw error;
      });
      if (!text) return null;
      try {
        const parsed = JSON.parse(text) as Partial<PlaidCredentials>;
        return typeof parsed.clientId === 'string' && typeof parsed.secret === 'string'
          ? { clientId: parsed.clientId, secret: parsed.secret }
          : null;
      } catch {
        return null; // unreadable counts as not configured, so the admin can save again
      }
    },
    async saveCredentials(environment, credentials) {
      const store = team();
      if (!store) return local.saveCredentials(environment, credentials);
      await store.secrets.set(
        secretName(environment),
        JSON.stringify({ clientId: credentials.clientId, secret: credentials.secret }),
      );
    },
    async clearCredentials(environment) {
      const store = team();
      if (!store) return local.clearCredentials(environment);
      await store.secrets.clear(secretName(environment));
    },
  };
}

import type { TeamKeychain } from './team/keychain';

/**
 * Secret values the services have read or been given this run (Plaid client ids and secrets, the team
 * database password): the logger removes them from every line, wherever they appear, field name or not.
 * Values stay on the list after they are replaced: an old key may still be valid, and must not be logged either.
 */
export class RuntimeSecrets {
  private readonly values = new Set<string>();
  private snapshot: readonly string[] = [];

  add(...values: (string | null | undefined)[]): void {
    const before = this.values.size;
    for (const value of values) if (value) this.values.add(value);
    if (this.values.size !== before) this.snapshot = [...this.values];
  }

  /** Read on every log line: the same array until a value is added. */
  list(): readonly string[] {
    return this.snapshot;
  }
}

/** The team keychain, with every database password it reads or saves put on the run-time secrets. */
export function rememberingTeamSecrets(keychain: TeamKeychain, secrets: RuntimeSecrets): TeamKeychain {
  return {
    async save(membership) {
      secrets.add(membership.databasePassword);
      await keychain.save(membership);
    },
    async load(teamId) {
      const membership = await keychain.load(teamId);
      secrets.add(membership?.databasePassword);
      return membership;
    },
    remove: (teamId) => keychain.remove(teamId),
  };
}

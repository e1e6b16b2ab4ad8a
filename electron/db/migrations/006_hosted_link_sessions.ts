import type { Migration } from './types';

/**
 * Hosted Link sessions, so a link sent on Friday is still followed after a restart on Monday. The
 * link token and the URL are bearer secrets (whoever holds them can link a bank for the applicant):
 * encrypted like access tokens, and destroyed when the session ends or is revoked.
 */
export const migration006: Migration = {
  version: 6,
  name: 'hosted link sessions',
  up(db) {
    db.exec(`
      CREATE TABLE hosted_link_sessions (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
        environment TEXT NOT NULL CHECK (environment IN ('emulator', 'sandbox', 'production')),
        link_token_enc BLOB,
        url_enc BLOB,
        status TEXT NOT NULL CHECK (status IN ('waiting', 'completed', 'exited', 'expired', 'revoked')),
        delivery_method TEXT CHECK (delivery_method IN ('sms', 'email')),
        created_at TEXT NOT NULL,
        expiration TEXT NOT NULL,
        finished_at TEXT,
        item_ids TEXT NOT NULL DEFAULT '[]'
      ) STRICT;
      CREATE INDEX hosted_link_sessions_by_applicant ON hosted_link_sessions (applicant_id, environment, created_at);
      CREATE INDEX hosted_link_sessions_waiting ON hosted_link_sessions (environment) WHERE status = 'waiting';
    `);
  },
};

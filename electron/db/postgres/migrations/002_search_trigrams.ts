import type { PostgresMigration } from './types';

/**
 * Search finds a word anywhere in a loan's folded search text or a report's bank names (`LIKE '%word%'`),
 * which no B-tree can answer: on a shared database with years of a branch's history that reads every row.
 * Trigram indexes answer it. pg_trgm ships with PostgreSQL's contrib modules and is trusted (a database
 * owner may create it); where the server lacks it or forbids it, searches still work, only slower.
 */
export const postgresMigration002: PostgresMigration = {
  version: 2,
  name: 'trigram search indexes',
  async up(client) {
    await client.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX loans_search_trigrams ON loans USING gin (search_text gin_trgm_ops);
        CREATE INDEX applicants_search_trigrams ON applicants USING gin (search_text gin_trgm_ops);
        CREATE INDEX reports_institutions_trigrams ON reports USING gin (institutions_search gin_trgm_ops);
      EXCEPTION WHEN undefined_file OR insufficient_privilege OR feature_not_supported THEN
        RAISE NOTICE 'pg_trgm is not available (%): search reads every row', SQLERRM;
      END $$;
    `);
  },
};

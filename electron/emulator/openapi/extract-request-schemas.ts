/**
 * Regenerates request-schemas.json: the request body schemas of the endpoints the emulator serves, taken
 * from Plaid's OpenAPI spec so validation errors match Plaid's, plus the rules its descriptions state in prose
 * (described-rules.ts). Run: npx tsx electron/emulator/openapi/extract-request-schemas.ts [spec]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildSchemaBundle, operationSchemaRef, type OpenApiDocument } from './convert';
import { applyDescribedRules } from './described-rules';
import { ACCESS_TOKEN_ENDPOINTS } from '../access-token-invalidate';
import { PLAID_ENDPOINTS } from './endpoints';

const here = dirname(fileURLToPath(import.meta.url));
const specPath =
  process.argv[2] ?? process.env.PLAID_OPENAPI_SPEC ?? resolve(here, '../../../../shared/plaid/openapi-2020-09-14.yml');
const doc = parse(readFileSync(specPath, 'utf8'), { maxAliasCount: -1 }) as OpenApiDocument & {
  info: { version: string };
};

const operations: Record<string, string> = {};
for (const path of [...PLAID_ENDPOINTS, ...ACCESS_TOKEN_ENDPOINTS]) {
  const ref = operationSchemaRef(doc, path, 'request');
  if (!ref) throw new Error(`no request schema for ${path}`);
  operations[path] = ref;
}
const bundle = buildSchemaBundle(doc, Object.values(operations), { closeObjects: true });
applyDescribedRules(doc, bundle.definitions);
const out = { specVersion: doc.info.version, operations, ...bundle };
writeFileSync(resolve(here, 'request-schemas.json'), JSON.stringify(out) + '\n');
console.log(
  `wrote ${Object.keys(bundle.definitions).length} schemas for ${PLAID_ENDPOINTS.length} endpoints (spec ${doc.info.version})`,
);

import type { OpenApiDocument, SchemaNode } from './convert';

/**
 * Rules Plaid's spec states in prose rather than in its schemas, added to the extracted request schemas so that
 * validation follows them too. Each rule reads its facts from the spec it is applied to, and throws when the spec
 * no longer says what it expects (so a new spec version is looked at rather than silently mis-read).
 */
type Definitions = Record<string, unknown>;

function property(definitions: Definitions, schema: string, name: string): SchemaNode {
  const props = (definitions[schema] as SchemaNode | undefined)?.properties as Record<string, SchemaNode> | undefined;
  const found = props?.[name];
  if (!found) throw new Error(`request schema ${schema} has no property ${name}`);
  return found;
}

function specDescription(doc: OpenApiDocument, schema: string, name: string): string {
  const source = doc.components.schemas[schema] as { properties?: Record<string, { description?: string }> };
  const text = source.properties?.[name]?.description;
  if (typeof text !== 'string') throw new Error(`the spec has no description for ${schema}.${name}`);
  return text;
}

/** `/link/token/create` `language`: the description's "Supported languages are:" list, e.g. "- Danish (`'da'`)". */
function linkLanguages(doc: OpenApiDocument, definitions: Definitions): void {
  const text = specDescription(doc, 'LinkTokenCreateRequest', 'language');
  const list = text.split('Supported languages are:')[1] ?? '';
  const codes = [...list.matchAll(/^\s*- [^(\n]+\(`'([a-z]{2})'`\)/gm)].map((m) => m[1]);
  if (codes.length < 10) throw new Error('could not read the supported languages of /link/token/create');
  property(definitions, 'LinkTokenCreateRequest', 'language').enum = codes;
}

/**
 * `/asset_report/refresh`: "Submit an empty string ("") for any previously-populated fields you would like set as
 * empty" (the endpoint's description), while its `options.webhook` has the create's url format: "" is admitted for
 * every formatted string of the refresh options.
 */
function refreshEmptyStrings(doc: OpenApiDocument, definitions: Definitions): void {
  const description = (doc.paths['/asset_report/refresh']?.post as { description?: string } | undefined)?.description;
  if (!description?.includes('Submit an empty string ("")'))
    throw new Error('the /asset_report/refresh description no longer says that "" clears a field');
  const options = definitions.AssetReportRefreshRequestOptions as SchemaNode | undefined;
  const props = options?.properties as Record<string, SchemaNode> | undefined;
  if (!props) throw new Error('request schema AssetReportRefreshRequestOptions has no properties');
  for (const [name, schema] of Object.entries(props))
    if (typeof schema.format === 'string') props[name] = { anyOf: [schema, { const: '' }] };
}

export function applyDescribedRules(doc: OpenApiDocument, definitions: Definitions): void {
  linkLanguages(doc, definitions);
  refreshEmptyStrings(doc, definitions);
}

/**
 * Turns OpenAPI 3.0 schemas (Plaid's spec) into JSON Schema draft-07 that ajv understands:
 * `nullable` becomes a `null` type/enum member, component refs point at `definitions`, doc-only keywords go.
 * Shared by the emulator's request validation and the contract tests' response validation.
 */
export type SchemaNode = Record<string, unknown>;

const DROP = new Set([
  'nullable',
  'example',
  'examples',
  'deprecated',
  'description',
  'discriminator',
  'externalDocs',
  'xml',
  'readOnly',
  'writeOnly',
  'title',
]);
const KNOWN_FORMATS = new Set([
  'date',
  'date-time',
  'email',
  'uri',
  'uri-reference',
  'uuid',
  'url',
  'double',
  'float',
  'binary',
]);

export interface ConvertOptions {
  /** Requests: objects that don't say otherwise reject unknown properties (Plaid's UNKNOWN_FIELDS). */
  closeObjects: boolean;
}

const COMPONENT_PREFIX = '#/components/schemas/';

export function convertSchema(node: unknown, options: ConvertOptions, insideAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((n) => convertSchema(n, options, insideAllOf));
  if (typeof node !== 'object' || node === null) return node;
  const source = node as SchemaNode;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROP.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith(COMPONENT_PREFIX) ? `#/definitions/${value.slice(COMPONENT_PREFIX.length)}` : value;
    } else if (key === 'format') {
      if (typeof value === 'string' && KNOWN_FORMATS.has(value)) out.format = value;
    } else if (key === 'properties' && typeof value === 'object' && value !== null) {
      const props: SchemaNode = {};
      for (const [name, sub] of Object.entries(value)) props[name] = convertSchema(sub, options);
      out.properties = props;
    } else if (key === 'allOf') {
      out.allOf = (value as unknown[]).map((n) => convertSchema(n, options, true));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'boolean' ? value : convertSchema(value, options);
    } else if (key === 'oneOf' || key === 'anyOf') {
      out[key] = (value as unknown[]).map((n) => convertSchema(n, options));
    } else {
      out[key] = value;
    }
  }
  // OpenAPI 3.0 exclusive bounds are booleans beside minimum/maximum; draft-07 wants the number itself.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else {
        delete out[flag];
      }
    }
  }
  if (options.closeObjects && !insideAllOf && out.properties && out.additionalProperties === undefined && !out.allOf) {
    out.additionalProperties = false;
  }
  if (source.nullable === true) {
    if (out.$ref || out.allOf || out.oneOf || out.anyOf) return { anyOf: [out, { type: 'null' }] };
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

/** Every component name reachable from `roots` through `$ref`s. */
export function collectRefs(roots: unknown[], components: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_PREFIX)) {
          const name = value.slice(COMPONENT_PREFIX.length);
          if (!seen.has(name)) {
            seen.add(name);
            stack.push(components[name]);
          }
        } else if (typeof value === 'object') {
          stack.push(value);
        }
      }
    }
  }
  return seen;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    {
      post?: {
        requestBody?: { content?: Record<string, { schema?: unknown }> };
        responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
      };
    }
  >;
  components: { schemas: Record<string, unknown> };
}

/** `#/components/schemas/X` name of a path's JSON request body, or of its response for `status`. */
export function operationSchemaRef(
  doc: OpenApiDocument,
  path: string,
  which: 'request' | 'response',
  status = '200',
): string | null {
  const op = doc.paths[path]?.post;
  if (!op) return null;
  const content = which === 'request' ? op.requestBody?.content : op.responses?.[status]?.content;
  const schema = content?.['application/json']?.schema as { $ref?: string } | undefined;
  return schema?.$ref?.startsWith(COMPONENT_PREFIX) ? schema.$ref.slice(COMPONENT_PREFIX.length) : null;
}

/** One JSON Schema document with `definitions` for the named components and everything they reference. */
export function buildSchemaBundle(
  doc: OpenApiDocument,
  rootNames: string[],
  options: ConvertOptions,
): { definitions: Record<string, unknown> } {
  const names = collectRefs(
    rootNames.map((n) => ({ $ref: COMPONENT_PREFIX + n })),
    doc.components.schemas,
  );
  const definitions: Record<string, unknown> = {};
  for (const name of [...names].sort()) definitions[name] = convertSchema(doc.components.schemas[name], options);
  return { definitions };
}

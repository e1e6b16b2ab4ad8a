import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import axios, { AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Configuration, PlaidApi } from 'plaid';
import { parse } from 'yaml';
import { convertSchema, operationSchemaRef, type OpenApiDocument } from '../../electron/emulator/openapi/convert';

/**
 * Contract checking against Plaid's OpenAPI spec: every request the SDK sends and every JSON response (and error
 * body) it receives is validated against the operation's schema; a mismatch throws, so the calling test fails.
 */
const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** Plaid's spec next to the repository, or where PLAID_OPENAPI_SPEC points (e.g. from a git worktree). */
export const SPEC_PATH =
  process.env.PLAID_OPENAPI_SPEC ?? resolve(projectRoot, '../shared/plaid/openapi-2020-09-14.yml');

let cachedDoc: OpenApiDocument | null = null;

/** The parsed spec, cached as JSON in the temp folder (parsing 3 MB of YAML takes a while). */
export function loadSpec(): OpenApiDocument {
  if (cachedDoc) return cachedDoc;
  const stat = statSync(SPEC_PATH);
  const cache = join(tmpdir(), `assetdesk-openapi-${stat.size}-${Math.floor(stat.mtimeMs)}.json`);
  if (existsSync(cache)) {
    cachedDoc = JSON.parse(readFileSync(cache, 'utf8')) as OpenApiDocument;
  } else {
    cachedDoc = parse(readFileSync(SPEC_PATH, 'utf8'), { maxAliasCount: -1 }) as OpenApiDocument;
    writeFileSync(cache, JSON.stringify(cachedDoc));
  }
  return cachedDoc;
}

export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly doc: OpenApiDocument;
  /** How many requests / responses / error bodies were checked (tests assert nothing was skipped). */
  readonly counts = { requests: 0, responses: 0, errors: 0 };
  /** Endpoints called through a validated client. */
  readonly paths = new Set<string>();
  private allowInvalid = false;

  constructor() {
    this.doc = loadSpec();
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addFormat('url', { type: 'string', validate: (v: string) => URL.canParse(v) });
    const definitions: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(this.doc.components.schemas))
      definitions[name] = convertSchema(schema, { closeObjects: false });
    this.ajv.addSchema({ $id: 'plaid', definitions });
  }

  private validator(name: string): ValidateFunction {
    let v = this.compiled.get(name);
    if (!v) {
      v = this.ajv.compile({ $ref: `plaid#/definitions/${name}` });
      this.compiled.set(name, v);
    }
    return v;
  }

  /** Throws with ajv's messages unless `value` matches the component schema `name`. */
  check(name: string, value: unknown, what: string): void {
    const validate = this.validator(name);
    if (!validate(value)) {
      throw new Error(`${what} does not match ${name}: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`);
    }
  }

  schemaName(path: string, which: 'request' | 'response'): string {
    const name = operationSchemaRef(this.doc, path, which);
    if (!name) throw new Error(`spec has no ${which} schema for ${path}`);
    return name;
  }

  /** Runs `fn` with request validation relaxed: for tests that send deliberately invalid requests. */
  async withInvalidRequests<T>(fn: () => Promise<T>): Promise<T> {
    this.allowInvalid = true;
    try {
      return await fn();
    } finally {
      this.allowInvalid = false;
    }
  }

  /** An axios instance that validates every Plaid call made through it. */
  axiosInstance(baseUrl: string): AxiosInstance {
    const instance = axios.create();
    const pathOf = (url: string | undefined) => (url ?? '').replace(baseUrl, '');
    instance.interceptors.request.use((config: InternalAxiosRequestConfig) => {
      const path = pathOf(config.url);
      if (!this.allowInvalid) {
        const body: unknown = typeof config.data === 'string' ? JSON.parse(config.data) : config.data;
        // Credentials travel in headers: the request schema is checked without them.
        this.check(this.schemaName(path, 'request'), body ?? {}, `request to ${path}`);
      }
      this.counts.requests += 1;
      this.paths.add(path);
      return config;
    });
    instance.interceptors.response.use(
      (response) => {
        const path = pathOf(response.config.url);
        if (path.startsWith('/emulator/_control/')) return response;
        const type = String(response.headers['content-type'] ?? '');
        if (type.startsWith('application/json')) {
          this.check(this.schemaName(path, 'response'), response.data, `response of ${path}`);
          this.counts.responses += 1;
        } else if (!type.startsWith('application/pdf')) {
          throw new Error(`unexpected content type ${type} from ${path}`);
        }
        return response;
      },
      (error: unknown) => {
        if (error instanceof AxiosError && error.response) {
          const raw: unknown = error.response.data;
          const data: unknown =
            Buffer.isBuffer(raw) || raw instanceof ArrayBuffer
              ? JSON.parse(Buffer.from(raw as ArrayBuffer).toString('utf8'))
              : raw;
          this.check('PlaidError', data, `error body of ${pathOf(error.config?.url)}`);
          error.response.data = data;
          this.counts.errors += 1;
        }
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return instance;
  }

  /** The official SDK pointed at `baseUrl`, with every call validated. */
  plaidClient(baseUrl: string, clientId: string, secret: string): PlaidApi {
    const configuration = new Configuration({
      basePath: baseUrl,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': clientId, 'PLAID-SECRET': secret } },
    });
    return new PlaidApi(configuration, baseUrl, this.axiosInstance(baseUrl));
  }
}

/** The Plaid error object of a failed SDK call (throws if the call did not fail with one). */
export function plaidErrorOf(error: unknown): { status: number; data: Record<string, unknown> } {
  if (error instanceof AxiosError && error.response)
    return { status: error.response.status, data: error.response.data as Record<string, unknown> };
  throw error;
}

/** Awaits a call that must fail with a Plaid error. */
export async function expectPlaidError(
  call: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    return plaidErrorOf(error);
  }
  throw new Error('expected the Plaid call to fail');
}

'use strict';
/* global require, process, console, global */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: run with plain node; Electronegativity is CommonJS. */
// Runs Electronegativity's scanner (its programmatic entry, dist/runner.js) on one folder and
// prints {issues, errors} as JSON. Not the CLI, because offline the CLI's translation download
// retries and crashes the process mid-scan, and its CSV writer races (the header write can
// overwrite the first finding). Same checks, same parser; the caller writes the CSV report.
// Usage: node electronegativity-run.cjs <input dir> <electron version> [excluded,check,names]
const Module = require('node:module');
const path = require('node:path');

const [input, electronVersion, excluded = ''] = process.argv.slice(2);
if (!input || !electronVersion) {
  console.error('usage: electronegativity-run.cjs <input dir> <electron version> [excluded checks]');
  process.exit(2);
}

const packageDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const i18n = require(require.resolve('i18n', { paths: [packageDir] }));
// The scanner's messages come from its bundled English locale. Its own locales/i18n.js downloads
// translations first; it is replaced in the module cache by this local set-up.
function useBundledLocale() {
  i18n.configure({
    locales: ['en-US'],
    defaultLocale: 'en-US',
    directory: path.join(packageDir, 'dist', 'locales'),
    updateFiles: false,
    objectNotation: true,
    register: global,
  });
  i18n.setLocale('en-US');
  return Promise.resolve();
}
const i18nModulePath = path.join(packageDir, 'dist', 'locales', 'i18n.js');
const stub = new Module(i18nModulePath);
stub.filename = i18nModulePath;
stub.loaded = true;
stub.exports = useBundledLocale;
require.cache[i18nModulePath] = stub;

const run = require(path.join(packageDir, 'dist', 'runner.js'));

run(
  {
    input: path.resolve(input),
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: excluded ? excluded.split(',').map((name) => name.trim().toLowerCase()) : [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: true,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
)
  .then((result) => {
    const issues = result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      location: `${issue.location.line}:${issue.location.column}`,
      sample: issue.sample ?? null,
      description: issue.description,
      manualReview: Boolean(issue.manualReview),
    }));
    const errors = result.errors.map((error) => ({
      file: path.relative(path.resolve(input), error.file ?? ''),
      message: String(error.message ?? error),
      tolerable: Boolean(error.tolerable),
    }));
    process.stdout.write(JSON.stringify({ checks: result.globalChecks + result.atomicChecks, issues, errors }));
  })
  .catch((error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  });

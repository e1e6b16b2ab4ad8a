import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchFigure, BenchSuite } from './types';

/**
 * `npm run bench [-- --json FILE] [--only NAME,NAME]`: runs every tests/bench/*.bench-suite.ts
 * and prints its figures; with --json writes { "metric": { value, unit, target } }. Ratios are
 * metrics too, unit `x`: figure ÷ floor (lower is better) and peer ÷ ours (above 1: we are faster).
 */
const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' } } });
const here = fileURLToPath(new URL('.', import.meta.url));
const only = values.only?.split(',');

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench-suite.ts'))
  .sort();
const figures: BenchFigure[] = [];
let failedSuites = 0;

for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { suite: BenchSuite };
  if (only && !only.includes(mod.suite.name)) continue;
  process.stdout.write(`\n${mod.suite.name}\n`);
  try {
    for (const figure of await mod.suite.run()) {
      figures.push(figure);
      const target =
        figure.target === undefined
          ? ''
          : `   (target < ${figure.target} ${figure.unit}${figure.value <= figure.target ? ', met' : ', MISSED'})`;
      process.stdout.write(
        `  ${figure.name.padEnd(70)} ${String(Math.round(figure.value * 100) / 100).padStart(12)} ${figure.unit}${target}\n`,
      );
    }
  } catch (error) {
    failedSuites++;
    process.stdout.write(`  suite failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
}

if (values.json) {
  const out: Record<string, { value: number; unit: string; target?: number }> = {};
  for (const f of figures)
    out[f.name] = { value: f.value, unit: f.unit, ...(f.target !== undefined ? { target: f.target } : {}) };
  writeFileSync(values.json, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`\nwrote ${values.json}\n`);
}
process.exit(failedSuites === 0 ? 0 : 1);

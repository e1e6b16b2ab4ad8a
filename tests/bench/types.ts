/** One figure printed by `npm run bench`; `target` only where an issue names one. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target?: number;
}

/** Each area exports one suite from tests/bench/<area>.bench-suite.ts. */
export interface BenchSuite {
  name: string;
  run(): Promise<BenchFigure[]>;
}

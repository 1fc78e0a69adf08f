// Runs one kind of tests with mocha and records its counts, so the top-level runner can report per kind.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface KindResult {
  kind: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
  /** Set when the whole kind could not run (no engine, no host). */
  skippedWhy?: string;
}

export function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function writeResult(file: string, result: KindResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
}

export function runMocha(kind: string, files: string[], options: Mocha.MochaOptions): Promise<KindResult> {
  const mocha = new Mocha({ reporter: 'spec', ...options });
  files.forEach((f) => mocha.addFile(f));
  return new Promise((resolve) => {
    const result: KindResult = { kind, passed: 0, failed: 0, skipped: 0, failures: [] };
    const runner = mocha.run();
    runner.on('pass', () => result.passed++);
    runner.on('fail', (test, err) => {
      result.failed++;
      result.failures.push(`${test.fullTitle()}: ${err?.message ?? err}`);
    });
    runner.on('pending', () => result.skipped++);
    runner.on('end', () => resolve(result));
  });
}

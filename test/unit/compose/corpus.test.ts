// The shared corpus of real compose files: no crash, and every finding matches the reviewed expectation file.
// Regenerate after a deliberate change with UPDATE_EXPECTATIONS=1 and review the diff like code.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import { rangeOf } from '../../../src/compose/locate';

import { CORPUS, needCorpus } from '../../support/corpus';

export { CORPUS };
const EXPECTED = path.resolve(__dirname, '../../../../test/fixtures/corpus-findings.txt');

/** Files that are only meaningful merged onto another one (`docker compose -f base -f extra`). */
const LAYERED: Record<string, string[]> = {
  'jitsi__docker-jitsi-meet__jibri.yml': ['jitsi__docker-jitsi-meet__docker-compose.yml', 'jitsi__docker-jitsi-meet__jibri.yml'],
};

export function corpusProjects(): Array<{ name: string; files: string[] }> {
  return fs
    .readdirSync(CORPUS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => ({ name, files: LAYERED[name] ?? [name] }));
}

const disk = { readFile: (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) };

function corpusFindings(): string[] {
  const lines: string[] = [];
  for (const { name, files } of corpusProjects()) {
    const a = analyze({ dir: CORPUS, files, env: {} }, disk);
    for (const f of a.findings) {
      const r = rangeOf(a.project, f.span);
      lines.push(`${name} | ${path.basename(f.span.file)}:${r.start.line + 1}:${r.start.character + 1} ${f.severity} ${f.rule}: ${f.message}`);
    }
  }
  return lines;
}

describe('the shared corpus', function () {
  this.timeout(60_000);
  before(function () {
    needCorpus(this);
  });

  it('is there (54 files)', () => {
    assert.ok(fs.existsSync(CORPUS), `no corpus at ${CORPUS}`);
    assert.strictEqual(corpusProjects().length, 54);
  });

  it('gives exactly the reviewed findings', () => {
    const actual = corpusFindings();
    if (process.env.UPDATE_EXPECTATIONS === '1') {
      const header = '# Findings on ../shared/corpus, one per line: project | file:line:col severity rule: message\n# Reviewed by hand; a change here is a change in behaviour.\n';
      fs.writeFileSync(EXPECTED, header + actual.join('\n') + '\n');
    }
    const expected = fs.readFileSync(EXPECTED, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepStrictEqual(actual, expected);
  });
});

// What the .vsix carries (vsce's own file list, from .vscodeignore): every file package.json shows from inside the
// package (icon, walkthrough media, grammars) ships, and the README's full-size screenshots (docs/images) do not:
// VS Code's details page shows only https images, and the walkthrough has its own small copies (media/walkthrough,
// made by scripts/walkthrough-images.js).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

interface Manifest {
  icon?: string;
  contributes: {
    walkthroughs?: Array<{ steps: Array<{ media: { image?: string | Record<string, string> } }> }>;
    grammars?: Array<{ path: string }>;
  };
}

describe('the .vsix contents', function () {
  this.timeout(120_000);
  let shipped: Set<string>;
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

  before(() => {
    const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
    shipped = new Set(execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean));
  });

  it('ships every file package.json shows from inside the package (icon, walkthrough images, grammars)', () => {
    const images = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => (typeof s.media.image === 'string' ? [s.media.image] : Object.values(s.media.image ?? {}))));
    assert.ok(images.length >= 5, images.join());
    const referenced = [manifest.icon!, ...images, ...(manifest.contributes.grammars ?? []).map((g) => g.path)].map((p) => path.posix.normalize(p));
    for (const file of referenced) {
      assert.ok(fs.existsSync(path.join(ROOT, file)), `${file} exists`);
      assert.ok(shipped.has(file), `${file} is in the .vsix`);
    }
  });

  it("leaves the README's full-size screenshots out, and keeps the walkthrough's images small", () => {
    assert.deepStrictEqual([...shipped].filter((f) => f.startsWith('docs/images/')), []);
    for (const f of [...shipped].filter((x) => x.startsWith('media/walkthrough/'))) {
      const kib = fs.statSync(path.join(ROOT, f)).size / 1024;
      assert.ok(kib <= 60, `${f}: ${kib.toFixed(0)} KiB`);
    }
  });
});

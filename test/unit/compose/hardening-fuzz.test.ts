// A short seeded run of the directed fuzz campaign (`npm run fuzz` runs the long one): one input of each family,
// each in a worker with a deadline and a heap limit. The seed is fixed so a failure reproduces with
// `node out/test/fuzz/campaign.js --family F --seed S --inputs 1`.
import * as assert from 'assert';
import { runCampaign } from '../../fuzz/campaign';
import { FAMILIES } from '../../fuzz/generate';

describe('hardening: seeded fuzz run (issue 12)', function () {
  this.timeout(600_000);

  it('one generated input of each family: no crash, hang, out-of-memory or findings out of proportion', async () => {
    const families = Object.keys(FAMILIES);
    const s = await runCampaign({ inputs: families.length, seed: 20261201, deadlineMs: 60_000 });
    const bad = [...s.crashes, ...s.hangs, ...s.memory, ...s.blowups].map((r) => `${r.verdict} family=${r.family} seed=${r.seed}: ${r.detail}`);
    assert.deepStrictEqual(bad, []);
    assert.strictEqual(s.inputs, families.length);
  });
});

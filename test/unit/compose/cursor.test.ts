import * as assert from 'assert';
import { completionContext } from '../../../src/compose/cursor';

/** `|` marks the cursor. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  return completionContext(textWithCursor.replace('|', ''), offset);
}

describe('completionContext', () => {
  it('finds a service\'s networks list, block or flow, and map keys', () => {
    assert.deepStrictEqual(at('services:\n  web:\n    networks:\n      - |\n'), { kind: 'service-network', service: 'web' });
    assert.deepStrictEqual(at('services:\n  web:\n    networks:\n      - fr|\n'), { kind: 'service-network', service: 'web' });
    assert.deepStrictEqual(at('services:\n  web:\n    image: x\n    networks:\n      front: {}\n      ba|'), { kind: 'service-network', service: 'web' });
    assert.deepStrictEqual(at('services:\n  api:\n    networks: [front, |]\n'), { kind: 'service-network', service: 'api' });
  });

  it('finds network_mode: service:', () => {
    assert.deepStrictEqual(at('services:\n  a:\n    network_mode: service:v|'), { kind: 'network-mode-service', start: 41 });
  });

  it('says nothing elsewhere', () => {
    assert.strictEqual(at('services:\n  web:\n    image: |'), undefined);
    assert.strictEqual(at('networks:\n  |'), undefined);
    assert.strictEqual(at('services:\n  web:\n    networks:\n      front:\n        aliases: [|]'), undefined);
  });
});

// The line that connects two services: what verify's "Open the line that connects them" opens.
import * as assert from 'assert';
import { connectingLine } from '../../../src/compose/connectingLine';
import { lint } from './helpers';

const FILE = `services:
  lb:
    image: x
    networks:
      - dmz
      - app
  api:
    image: x
    networks:
      app:
        aliases: [backend]
      data: {}
  db:
    image: x
    networks: [data]
  sidecar:
    image: x
    network_mode: service:api
  plain:
    image: x
  other:
    image: x
networks:
  dmz: {}
  app: {}
  data: {}
`;

describe('connectingLine', () => {
  const a = lint(FILE);
  const text = (s: { span: { start: number; end: number } } | undefined) => (s ? a.files['compose.yaml'].slice(s.span.start, s.span.end) : undefined);

  it("is the source's entry for the network they share (list item or mapping entry)", () => {
    assert.deepStrictEqual({ ...connectingLine(a, 'lb', 'api'), span: undefined }, { network: 'app', service: 'lb', span: undefined });
    assert.strictEqual(text(connectingLine(a, 'lb', 'api')), 'app');
    assert.match(text(connectingLine(a, 'api', 'lb'))!, /^app:\s+aliases: \[backend\]/);
    assert.match(text(connectingLine(a, 'api', 'db'))!, /^data: \{\}/);
  });

  it("is a tenant's network_mode line (it is on its owner's networks through it)", () => {
    assert.strictEqual(text(connectingLine(a, 'sidecar', 'db')), 'service:api');
    assert.strictEqual(connectingLine(a, 'db', 'sidecar')?.service, 'db');
  });

  it('is the declaration of a service on the implicit default network', () => {
    const line = connectingLine(a, 'plain', 'other');
    assert.deepStrictEqual([line?.network, line?.service, text(line)], ['default', 'plain', 'plain']);
  });

  it('is undefined when the file puts them on no common network', () => {
    assert.strictEqual(connectingLine(a, 'lb', 'db'), undefined);
    assert.strictEqual(connectingLine(a, 'plain', 'lb'), undefined);
    assert.strictEqual(connectingLine(a, 'lb', 'nope'), undefined);
  });
});

// unreachable-hostname's related locations are built with loops (issue 14: one per unreachable name, a thousand on a
// big project): one location per DNS entry, whether the networks share the entry object (a service's name) or hold
// equal ones (an alias written once and reached through an anchor), naming every network in a readable list.
import * as assert from 'assert';
import { lint, yaml } from './helpers';

describe('unreachable-hostname related locations', () => {
  const r = lint(yaml`
    services:
      db:
        image: postgres
        networks:
          back: &store {aliases: [store]}
          data: *store
          cache: {}
      app:
        image: app
        environment: {DB: "postgres://db:5432/app", STORE: "store:5432"}
        networks: [front]
    networks:
      front: {}
      back: {}
      data: {}
      cache: {}
    `);
  const related = (host: string) => r.of('unreachable-hostname').filter((f) => r.textOf(f) === host).flatMap((f) => f.related.map((l) => [r.textOf({ span: l.span } as never), l.message]));

  it('a service on three of the networks is one location listing them as "a", "b" and "c"', () => {
    assert.deepStrictEqual(related('db'), [['db', '"db" is the service on "back", "data" and "cache"']]);
  });

  it('an alias reached through an anchor on two networks (equal entries, not the same object) is one location', () => {
    assert.deepStrictEqual(related('store'), [['store', '"store" is the alias of "db" on "back" and "data"']]);
  });
});

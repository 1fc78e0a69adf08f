// Stack semantics decided by the engine's stacks (issue 15): in auto mode a compose project named like a stack
// deployed on the engine (EngineSnapshot.stacks, from the services' com.docker.stack.namespace label) is analysed as
// a stack even without a `deploy:` section; the setting's always/never still win.
import * as assert from 'assert';
import * as path from 'path';
import { analyze } from '../../../src/compose/analyze';
import { isStackProject, type StackMode } from '../../../src/compose/stack';
import type { EngineSnapshot } from '../../../src/compose/types';
import { DIR } from './helpers';

/** No deploy: at all: only the engine can say it is a stack. */
const NO_DEPLOY = `services:
  web:
    image: nginx
    networks: [front]
  api:
    image: nginx
networks:
  front: {}
`;

function run(text: string, opts: { stackMode?: StackMode; stacks?: string[]; env?: Record<string, string> } = {}) {
  const host = { readFile: (p: string) => (path.relative(DIR, p) === 'compose.yaml' ? text : undefined) };
  const engine: EngineSnapshot | undefined = opts.stacks ? { networkNames: [], stacks: opts.stacks } : undefined;
  return analyze({ dir: DIR, files: [path.join(DIR, 'compose.yaml')], env: opts.env ?? {}, ...(opts.stackMode ? { stackMode: opts.stackMode } : {}) }, host, engine);
}

describe('stack semantics from the engine\'s stacks', () => {
  it('auto: a project named like a deployed stack is a stack without any deploy: key (overlay default driver)', () => {
    // The project is named after its folder (DIR = /project): "project".
    const a = run(NO_DEPLOY, { stacks: ['other', 'project'] });
    assert.strictEqual(a.project.name, 'project');
    assert.strictEqual(a.project.isStack, true);
    assert.strictEqual(run(NO_DEPLOY).project.isStack, false, 'the same file without the engine fact is not a stack');
  });

  it('auto: the name that counts is the project name Compose gives it (COMPOSE_PROJECT_NAME, top-level name:)', () => {
    assert.strictEqual(run(NO_DEPLOY, { stacks: ['shop'], env: { COMPOSE_PROJECT_NAME: 'shop' } }).project.isStack, true);
    assert.strictEqual(run(`name: shop\n${NO_DEPLOY}`, { stacks: ['shop'] }).project.isStack, true);
    assert.strictEqual(run(`name: shop\n${NO_DEPLOY}`, { stacks: ['project'] }).project.isStack, false, 'the folder name is not the project name here');
  });

  it('auto: stacks with other names, or none, change nothing', () => {
    assert.strictEqual(run(NO_DEPLOY, { stacks: ['projects', 'proj'] }).project.isStack, false);
    assert.strictEqual(run(NO_DEPLOY, { stacks: [] }).project.isStack, false);
  });

  it('the setting never wins over a deployed stack of that name; always needs no engine', () => {
    assert.strictEqual(run(NO_DEPLOY, { stacks: ['project'], stackMode: 'never' }).project.isStack, false);
    assert.strictEqual(run(NO_DEPLOY, { stackMode: 'always' }).project.isStack, true);
  });

  it('isStackProject: the deployed-stacks fact alone', () => {
    assert.strictEqual(isStackProject('auto', ['/p/compose.yaml'], [], { projectName: 'dnv', stacks: ['dnv'] }), true);
    assert.strictEqual(isStackProject(undefined, ['/p/compose.yaml'], [], { projectName: 'dnv', stacks: ['dnv2'] }), false);
    assert.strictEqual(isStackProject('never', ['/p/compose.yaml'], [], { projectName: 'dnv', stacks: ['dnv'] }), false);
  });
});

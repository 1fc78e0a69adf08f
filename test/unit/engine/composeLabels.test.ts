// Where a Compose project's files are, from its containers' labels (Compose v1 relative, v2 absolute).
import * as assert from 'assert';
import { composeConfigFiles } from '../../../src/engine/composeLabels';
import { normalizeContainer } from '../../../src/engine/normalize';

describe('compose config_files labels', () => {
  it('v1 run in the project folder: resolves against working_dir', () => {
    assert.deepStrictEqual(composeConfigFiles('docker-compose.yml,docker-compose.override.yml', '/home/me/shop'), ['/home/me/shop/docker-compose.yml', '/home/me/shop/docker-compose.override.yml']);
  });

  it('v1 run with -f sub/...: working_dir is the first file\'s folder, the files are relative to where it ran', () => {
    // Observed with docker-compose 1.29: `-f sub/docker-compose.yml` in /tmp/x gives these two labels.
    assert.deepStrictEqual(composeConfigFiles('sub/docker-compose.yml,sub/prod.yml', '/tmp/x/sub'), ['/tmp/x/sub/docker-compose.yml', '/tmp/x/sub/prod.yml']);
  });

  it('v2 absolute paths are kept as they are', () => {
    assert.deepStrictEqual(composeConfigFiles('/srv/app/compose.yaml,/srv/app/compose.prod.yaml', '/srv/app'), ['/srv/app/compose.yaml', '/srv/app/compose.prod.yaml']);
  });

  it('Windows project directories resolve with Windows paths', () => {
    assert.deepStrictEqual(composeConfigFiles('docker-compose.yml', 'C:\\Users\\me\\shop'), ['C:\\Users\\me\\shop\\docker-compose.yml']);
  });

  it('without working_dir the files are returned as recorded', () => {
    assert.deepStrictEqual(composeConfigFiles('docker-compose.yml', undefined), ['docker-compose.yml']);
  });

  it('the container summary carries absolute files', () => {
    const c = normalizeContainer({ Id: 'x', Names: ['/shop_db_1'], Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.project.config_files': 'docker-compose.yml', 'com.docker.compose.project.working_dir': '/home/me/shop' } });
    assert.deepStrictEqual(c.composeFiles, ['/home/me/shop/docker-compose.yml']);
  });
});

// The real filesystem for endpoint resolution and the context list (~/.docker, sockets); no dockerode here, so the
// extension can list contexts without loading the engine client.
import * as fs from 'fs';
import * as os from 'os';
import type { EndpointFiles } from './endpoint';

const localFiles: EndpointFiles = {
  // Asked when an endpoint is resolved, not when the module loads (os is loaded lazily in the extension).
  get home() {
    return os.homedir();
  },
  readFile: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (p) => fs.existsSync(p),
  list: (dir) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};

export function localEndpointFiles(): EndpointFiles {
  return localFiles;
}

// Root hook: remove what an interrupted earlier run left behind, so every run starts from a known engine state.
import { cleanupAbandonedRuns } from '../support/engine';

before(() => cleanupAbandonedRuns());

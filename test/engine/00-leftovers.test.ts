// Root hook: remove what an interrupted earlier run left behind, so every run starts from a known engine state.
import { cleanupTestObjects } from '../support/engine';

before(() => cleanupTestObjects());

import type { Suite } from './harness.js';
import { decideSuite } from './decide.js';
import { ledgerSuite } from './ledger.js';
import { storeSuite } from './store.js';
import { taxiiSuite } from './taxii.js';

/** Every benchmark suite, in the order `npm run bench` runs them. Add a suite here. */
export const SUITES: readonly Suite[] = [decideSuite, ledgerSuite, storeSuite, taxiiSuite];

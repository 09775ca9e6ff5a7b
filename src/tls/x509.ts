/**
 * The one place @peculiar/x509 is set up: it needs `reflect-metadata` loaded first (its
 * dependency injection uses decorators) and a WebCrypto provider. The provider is set on first
 * use, not at import time (STYLE.md: no work at import time).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

let ready = false;

/** The @peculiar/x509 namespace, with node's WebCrypto as its provider. */
export function peculiar(): typeof x509 {
  if (!ready) {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    ready = true;
  }
  return x509;
}

import { ConcordatError } from '../core/index.js';
import type { StixValidationOptions } from './validate.js';
import { validateStix } from './validate.js';

/**
 * Validates a bundle or object and throws `ERR_STIX_INVALID` listing every issue when it is
 * invalid. For adapters that need an exception at their boundary; the pure code uses
 * `validateStix` and reads the result.
 */
export function assertValidStix(input: unknown, options: StixValidationOptions = {}): void {
  const r = validateStix(input, options);
  if (r.valid) return;
  const errors = r.issues.filter((i) => i.severity === 'error');
  throw new ConcordatError(
    'ERR_STIX_INVALID',
    `stix input is invalid: ${errors.length} issue${errors.length === 1 ? '' : 's'}`,
    { details: r.issues },
  );
}

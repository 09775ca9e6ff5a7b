/** The intel public door plus a small helper for error assertions. */
import { isConcordatError, type ErrorCode } from '../../src/core/index.js';
export {
  CONCORDAT_HANDLING_EXTENSION_DEFINITION,
  CONCORDAT_HANDLING_EXTENSION_ID,
  CONCORDAT_IDENTITY,
  coarsenIpv4,
  coarsenIpv6,
  minimise,
  readHandling,
  stampHandling,
  validateStixBundle,
  validateStixObject,
} from '../../src/intel/index.js';
export type { HandlingStamp } from '../../src/intel/index.js';

export function isConcordatErrorLike(e: unknown, code: ErrorCode): boolean {
  return isConcordatError(e, code);
}

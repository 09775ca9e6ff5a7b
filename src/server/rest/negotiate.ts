/**
 * `Accept` negotiation for REST routes (RFC 9110 §12.5.1): the first offered type the header
 * admits with q > 0, in the server's order of preference; `ERR_NOT_ACCEPTABLE` when none.
 */
import { ConcordatError } from '../../core/index.js';

/** The offered media type (`type/subtype`, no parameters) an `Accept` header admits first. */
export function acceptedType(accept: string | undefined, offered: readonly string[]): string {
  const first = offered[0] as string;
  if (accept === undefined || accept.trim() === '') return first;
  const ranges = accept.split(',').flatMap((part) => {
    const [head, ...params] = part.split(';');
    const type = (head ?? '').trim().toLowerCase();
    const q = params.map((x) => x.trim().toLowerCase()).find((x) => x.startsWith('q='));
    return q !== undefined && !(Number(q.slice(2)) > 0) ? [] : [type];
  });
  for (const t of offered) {
    const [major] = t.split('/');
    if (ranges.some((r) => r === t || r === '*/*' || r === `${major}/*`)) return t;
  }
  throw new ConcordatError(
    'ERR_NOT_ACCEPTABLE',
    `this endpoint answers ${offered.map((t) => `\`${t}\``).join(' or ')}`,
  );
}

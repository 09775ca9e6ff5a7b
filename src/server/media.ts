/**
 * TAXII 2.1 content negotiation (TAXII 2.1 §1.6.8): every TAXII resource is
 * `application/taxii+json;version=2.1`; a media type without `version` means the latest,
 * which this server takes as 2.1.
 */

/** The media type of every TAXII response. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The media type of STIX objects inside envelopes and manifests. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

function parseRange(text: string): MediaRange | undefined {
  const [head, ...rest] = text.split(';');
  const type = (head ?? '').trim().toLowerCase();
  if (!/^[a-z0-9*][a-z0-9!#$&^_.+*-]*\/[a-z0-9*][a-z0-9!#$&^_.+*-]*$/.test(type)) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) return undefined;
    const k = p.slice(0, eq).trim().toLowerCase();
    const v = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    params.set(k, v);
  }
  return { type, params };
}

function isTaxii21(r: MediaRange): boolean {
  const v = r.params.get('version');
  return r.type === 'application/taxii+json' && (v === undefined || v === '2.1');
}

/**
 * Whether an `Accept` header admits the TAXII 2.1 media type. An absent header accepts
 * anything (RFC 9110 §12.5.1); a range with `q=0` refuses.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined) return true;
  for (const part of accept.split(',')) {
    const r = parseRange(part);
    if (r === undefined) continue;
    const q = r.params.get('q');
    if (q !== undefined && !(Number(q) > 0)) continue;
    if (r.type === '*/*' || r.type === 'application/*' || isTaxii21(r)) return true;
  }
  return false;
}

/** Whether a request `Content-Type` is the TAXII 2.1 media type. */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const r = parseRange(contentType);
  return r !== undefined && isTaxii21(r);
}

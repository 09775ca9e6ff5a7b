/**
 * Minimisation inside STIX patterns (STIX 2.1 §9). A small linear lexer finds each string
 * literal and the object path it is compared with (`[email-addr:value = '…']`), so that a
 * value pseudonymised or dropped in an SCO is not left readable in an indicator, and IP
 * addresses in literals are coarsened like those in SCOs. Typed literals (`t'…'`, `h'…'`,
 * `b'…'`) and quoted path segments (`file:hashes.'SHA-256'`) are left alone.
 */
import { coarsenIpv4, coarsenIpv6 } from './ip.js';

/** What to do with a literal compared with `type:property`. */
export interface PatternLiteralRewrite {
  /** A replacement for the literal, or undefined to leave it. */
  (type: string, property: string, value: string): string | undefined;
}

const TOKEN = /([a-z0-9-]+):([A-Za-z0-9_]+)|([a-z]?)'((?:[^'\\]|\\[\s\S])*)'|[\s\S]/gy;

/** Rewrites each plain string literal of a STIX pattern through `rewrite`. */
export function rewritePatternLiterals(pattern: string, rewrite: PatternLiteralRewrite): string {
  let out = '';
  let type = '';
  let property = '';
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(pattern)) !== null) {
    const [whole, pathType, pathProp, prefix, body] = m;
    if (pathType !== undefined && pathProp !== undefined) {
      type = pathType;
      property = pathProp;
      out += whole;
      continue;
    }
    if (body === undefined || prefix !== '' || pattern[m.index - 1] === '.') {
      out += whole;
      continue;
    }
    const value = body.replace(/\\([\s\S])/g, '$1');
    const next = rewrite(type, property, value);
    out += next === undefined ? whole : `'${next.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  return out;
}

const EMBEDDED_V4 = /(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?:\/[0-9]{1,2})?(?![0-9.])/g;
const EMBEDDED_V6 = /\[([0-9A-Fa-f:.]{2,45})\]/g;

/**
 * Coarsens the IP addresses in a literal: a literal that is an address or CIDR becomes the
 * prefix CIDR; addresses embedded in a longer literal (a URL) become the network address.
 */
export function coarsenLiteral(value: string, ipv4Prefix: number, ipv6Prefix: number): string {
  if (ipv4Prefix < 32) {
    const whole = coarsenIpv4(value, ipv4Prefix);
    if (whole !== undefined) return whole;
  }
  if (ipv6Prefix < 128) {
    const whole = coarsenIpv6(value, ipv6Prefix);
    if (whole !== undefined) return whole;
  }
  let out = value;
  if (ipv4Prefix < 32)
    out = out.replace(EMBEDDED_V4, (a) => {
      const c = coarsenIpv4(a.split('/')[0] as string, ipv4Prefix);
      return c === undefined ? a : (c.split('/')[0] as string);
    });
  if (ipv6Prefix < 128)
    out = out.replace(EMBEDDED_V6, (a, inner: string) => {
      const c = coarsenIpv6(inner, ipv6Prefix);
      return c === undefined ? a : `[${c.split('/')[0] as string}]`;
    });
  return out;
}

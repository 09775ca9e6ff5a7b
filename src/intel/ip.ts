/**
 * IPv4/IPv6 addresses and CIDRs coarsened to a prefix (data minimisation). Parsed here rather
 * than with node:net, which a pure module may not import.
 */

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

/** Coarsens an IPv4 address or CIDR to `prefix` bits: `198.51.100.23` → `198.51.100.0/24`. */
export function coarsenIpv4(value: string, prefix: number): string | undefined {
  const [addr, len, extra] = value.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const octets = parseV4(addr);
  if (octets === undefined) return undefined;
  const own = len === undefined ? 32 : /^[0-9]{1,2}$/.test(len) ? Number(len) : NaN;
  if (!(own >= 0 && own <= 32)) return undefined;
  const bits = Math.min(own, prefix);
  if (bits >= 32) return value;
  const n = octets.reduce((a, o) => a * 256 + o, 0);
  const net = n - (n % 2 ** (32 - bits));
  const out = [24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.');
  return `${out}/${bits}`;
}

function parseV6(s: string): number[] | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || s.length > 45) return undefined;
  let text = s;
  if (s.includes('.')) {
    // RFC 4291 §2.2 (3): a dotted IPv4 tail stands for the last two groups.
    const lastColon = s.lastIndexOf(':');
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    const [a, b, c, d] = v4 as [number, number, number, number];
    text = `${s.slice(0, lastColon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): number[] =>
    h === undefined || h === ''
      ? []
      : h.split(':').map((g) => (/^[0-9A-Fa-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...rest].some((g) => Number.isNaN(g))) return undefined;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  return [...head, ...Array<number>(8 - known).fill(0), ...rest];
}

function formatV6(groups: readonly number[]): string {
  // RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first if tied.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Coarsens an IPv6 address or CIDR to `prefix` bits: `2001:db8::1` → `2001:db8::/32`. */
export function coarsenIpv6(value: string, prefix: number): string | undefined {
  const [addr, len, extra] = value.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const groups = parseV6(addr);
  if (groups === undefined) return undefined;
  const own = len === undefined ? 128 : /^[0-9]{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(own >= 0 && own <= 128)) return undefined;
  const bits = Math.min(own, prefix);
  if (bits >= 128) return value;
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    return keep === 0 ? 0 : g & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${formatV6(masked)}/${bits}`;
}

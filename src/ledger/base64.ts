const ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict standard base64 (RFC 4648 §4): padded, canonical, nothing else. Node's decoder skips
 * bad characters and ignores the unused low bits of the last character, so two different
 * strings can decode to the same bytes; a signed text must have exactly one spelling, so the
 * result is re-encoded and compared. Returns `undefined` when `text` is not canonical base64.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !ALPHABET.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

/** Standard padded base64 (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

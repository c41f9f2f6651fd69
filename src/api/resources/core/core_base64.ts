/** Base64 as Go's encoding/json decodes []byte fields (base64.StdEncoding: padded, CR/LF ignored). */

const alphabet = /^[A-Za-z0-9+/]$/;
const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';

/** base64Problem returns Go's error for s ("illegal base64 data at input byte N"), or undefined when s decodes. */
export function base64Problem(s: string): string | undefined {
  const err = (n: number): string => `illegal base64 data at input byte ${n}`;
  let si = 0;
  while (si < s.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return undefined;
        return err(si - j);
      }
      const c = s[si++] ?? '';
      if (alphabet.test(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2) return err(si - 1);
      if (j === 2) {
        // "==" is expected; the first "=" is consumed.
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return err(s.length);
        if (s[si] !== '=') return err(si - 1);
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      return si < s.length ? err(si) : undefined;
    }
  }
  return undefined;
}

/** decodedLength returns the byte length of a valid base64 string. */
export function decodedLength(s: string): number {
  return Buffer.from(s, 'base64').length;
}

/** encodeBase64 encodes a UTF-8 string as standard padded base64. */
export function encodeBase64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

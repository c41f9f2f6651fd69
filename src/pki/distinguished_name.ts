/** DistinguishedNameAttribute is one `type=value` of a certificate subject or issuer, value unescaped. */
export interface DistinguishedNameAttribute {
  type: string;
  value: string;
}

/** unescapeValue undoes OpenSSL's RFC 2253 escapes: `\,` style for specials, `\XX` hex for control bytes. */
function unescapeValue(v: string): string {
  return v.replace(/\\([0-9A-Fa-f]{2}|[\s\S])/g, (_, e: string) => (e.length === 2 ? String.fromCharCode(parseInt(e, 16)) : e));
}

/**
 * parseDistinguishedName reads the text node:crypto's X509Certificate gives for `subject` and
 * `issuer`: one RDN per line, the attributes of a multi-valued RDN joined by ` + `, special
 * characters escaped as RFC 2253 says (`\,` `\+` `\"` `\\` …, control bytes as `\XX`). It returns
 * every attribute in order; text without `=` is skipped.
 */
export function parseDistinguishedName(text: string): DistinguishedNameAttribute[] {
  const out: DistinguishedNameAttribute[] = [];
  let cur = '';
  const flush = (): void => {
    const eq = cur.indexOf('=');
    if (eq > 0) out.push({ type: cur.slice(0, eq), value: unescapeValue(cur.slice(eq + 1)) });
    cur = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      // Kept escaped for unescapeValue; an escaped `+` or newline never separates.
      cur += text.slice(i, i + 2);
      i++;
    } else if (ch === '\n') {
      flush();
    } else if (ch === '+') {
      // An unescaped `+` only ever separates attributes (` + `): drop the spaces around it.
      if (cur.endsWith(' ')) cur = cur.slice(0, -1);
      if (text[i + 1] === ' ') i++;
      flush();
    } else {
      cur += ch;
    }
  }
  flush();
  return out;
}

/** distinguishedNameValues returns the values of every attribute of this type (e.g. "CN", "O") in the name text, in order. */
export function distinguishedNameValues(text: string, type: string): string[] {
  return parseDistinguishedName(text)
    .filter((a) => a.type === type)
    .map((a) => a.value);
}

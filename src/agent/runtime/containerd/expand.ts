/**
 * expandVars replaces `$(NAME)` references with lookup(NAME) as Kubernetes does for env values,
 * command and args: `$$` escapes a `$`, unknown names and unterminated references stay as written.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += lookup(name) ?? `$(${name})`;
      i = end;
    } else {
      out += ch;
    }
  }
  return out;
}

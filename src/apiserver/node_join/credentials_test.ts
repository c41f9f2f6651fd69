import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBasicAuth } from './credentials.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('parseBasicAuth', () => {
  const cases: [string, string | undefined, ReturnType<typeof parseBasicAuth>][] = [
    ['node credentials', `Basic ${b64('node:s3cret')}`, { username: 'node', password: 's3cret' }],
    ['a colon in the password', `basic ${b64('node:a:b')}`, { username: 'node', password: 'a:b' }],
    ['an empty password', `Basic ${b64('node:')}`, { username: 'node', password: '' }],
    ['no header', undefined, undefined],
    ['a bearer token', 'Bearer abc', undefined],
    ['no colon', `Basic ${b64('node')}`, undefined],
    ['not base64', 'Basic !!!', undefined],
  ];
  for (const [name, header, want] of cases) {
    it(`reads ${name}`, () => assert.deepEqual(parseBasicAuth(header), want));
  }
});

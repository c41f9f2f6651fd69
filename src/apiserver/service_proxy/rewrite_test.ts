import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapePath, pathPrepend, proxiedPath, rewriteLocation } from './rewrite.js';
import { isGlobalUnicast, splitSchemeNamePort } from './location.js';

const PREFIX = '/api/v1/namespaces/default/services/web/proxy';

test('rewriteLocation: same-host absolute paths go under the proxy prefix; others stay', () => {
  const cases: [string, string][] = [
    ['/login', `${PREFIX}/login`],
    ['/login/?next=/x#top', `${PREFIX}/login/?next=/x#top`],
    ['http://10.42.0.5:8080/a', `${PREFIX}/a`],
    ['http://api.local:6443/a', `http://api.local:6443${PREFIX}/a`],
    ['https://example.com/a', 'https://example.com/a'],
    ['relative/path', 'relative/path'],
    [`${PREFIX}/already`, `${PREFIX}/already`],
  ];
  for (const [from, to] of cases) assert.equal(rewriteLocation(from, '10.42.0.5:8080', 'api.local:6443', PREFIX), to, from);
});

test('proxiedPath, pathPrepend and escapePath follow the request path', () => {
  assert.equal(proxiedPath([], `${PREFIX}`), '');
  assert.equal(proxiedPath([], `${PREFIX}/`), '/');
  assert.equal(proxiedPath(['a', 'b c'], `${PREFIX}/a/b%20c/`), '/a/b c/');
  assert.equal(pathPrepend(`${PREFIX}/a/b%20c/`, 2), PREFIX);
  assert.equal(pathPrepend(`${PREFIX}/`, 0), PREFIX);
  assert.equal(escapePath('/a b/ü/x:y@z;$!'), '/a%20b/%C3%BC/x:y@z;$%21');
});

test('splitSchemeNamePort and isGlobalUnicast match apimachinery and Go', () => {
  assert.deepEqual(splitSchemeNamePort('web'), { scheme: '', name: 'web', port: '' });
  assert.deepEqual(splitSchemeNamePort('web:http'), { scheme: '', name: 'web', port: 'http' });
  assert.deepEqual(splitSchemeNamePort('https:web:443'), { scheme: 'https', name: 'web', port: '443' });
  assert.deepEqual(splitSchemeNamePort('https:web:'), { scheme: 'https', name: 'web', port: '' });
  for (const bad of ['ftp:web:21', ':80', 'a:b:c:d']) assert.equal(splitSchemeNamePort(bad), undefined, bad);
  assert.deepEqual(['10.42.0.5', '192.168.1.1', '2001:db8::1'].map(isGlobalUnicast), [true, true, true]);
  assert.deepEqual(['127.0.0.1', '0.0.0.0', '169.254.1.1', '224.0.0.1', '::1', 'fe80::1', 'host'].map(isGlobalUnicast), [false, false, false, false, false, false, false]);
});

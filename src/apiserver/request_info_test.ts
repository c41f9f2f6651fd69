import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo, splitRequestUrl } from './request_info.js';

test('splitRequestUrl: the path and query new URL() gives, for plain and unusual targets', () => {
  const targets = [
    '/',
    '/api/v1/namespaces/default/configmaps',
    '/api/v1/namespaces/default/configmaps/',
    '/apis/apps/v1/deployments?watch=true&resourceVersion=5',
    '/api/v1/pods?labelSelector=app%3Dweb%2Ctier+in+(a,b)&limit=500',
    '/api/v1/pods?fieldSelector=spec.nodeName= n1',
    '/api/v1/pods?a=1#frag',
    '/api/v1/namespaces/default/pods/../secrets',
    '/api/v1/./pods',
    '/api/v1/nodes/.hidden',
    '//api//v1',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:x',
    '/api/v1/namespaces/default/configmaps/a%2Fb',
    '/api/v1/pods?x=%zz&y=é',
    '?only=query',
    '/openapi/v3/apis/apps/v1?hash=abc',
  ];
  for (const target of targets) {
    const url = new URL(target, 'https://localhost');
    const got = splitRequestUrl(target);
    assert.equal(got.path, url.pathname, target);
    assert.deepEqual([...got.query], [...url.searchParams], target);
  }
});

test('parseRequestInfo: percent-encoded segments are decoded, plain ones kept', () => {
  const q = new URLSearchParams();
  assert.equal(parseRequestInfo('GET', '/api/v1/namespaces/default/configmaps/a%3Ab', q).name, 'a:b');
  const info = parseRequestInfo('POST', '/api/v1/namespaces/default/configmaps', q);
  assert.deepEqual([info.verb, info.namespace, info.resource, info.name], ['create', 'default', 'configmaps', '']);
});

test('parseRequestInfo: watch takes every strconv.ParseBool spelling of true', () => {
  for (const v of ['true', 'True', 'TRUE', 't', 'T', '1']) assert.equal(parseRequestInfo('GET', '/api/v1/pods', new URLSearchParams({ watch: v })).verb, 'watch', v);
  for (const v of ['false', 'False', '0', '', 'yes']) assert.equal(parseRequestInfo('GET', '/api/v1/pods', new URLSearchParams({ watch: v })).verb, 'list', v);
});

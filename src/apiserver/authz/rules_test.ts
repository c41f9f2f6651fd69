import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRule, ruleAllows, uncovered, type RuleRequest } from './rules.js';

const req = (over: Partial<RuleRequest>): RuleRequest => ({ verb: 'get', isResourceRequest: true, path: '', apiGroup: '', resource: 'pods', subresource: '', name: '', ...over });

test('ruleAllows matches verbs, groups, resources, subresources and names', () => {
  const cases: [Partial<RuleRequest>, Parameters<typeof ruleAllows>[1], boolean][] = [
    [{}, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, true],
    [{ verb: 'list' }, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, false],
    [{ verb: 'delete' }, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, true],
    [{ apiGroup: 'apps', resource: 'deployments' }, { verbs: ['get'], apiGroups: [''], resources: ['*'] }, false],
    [{ subresource: 'log' }, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, false],
    [{ subresource: 'log' }, { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, true],
    [{ resource: 'deployments', apiGroup: 'apps', subresource: 'scale' }, { verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] }, true],
    [{ name: 'a' }, { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, true],
    [{ name: 'b' }, { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, false],
    [{ verb: 'list' }, { verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, false],
    [{ isResourceRequest: false, path: '/healthz' }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }, true],
    [{ isResourceRequest: false, path: '/apis/apps' }, { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, true],
    [{ isResourceRequest: false, path: '/metrics' }, { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, false],
    [{ isResourceRequest: false, path: '/metrics' }, { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, false],
  ];
  for (const [over, rule, want] of cases) assert.equal(ruleAllows(req(over), rule), want, `${JSON.stringify(over)} vs ${JSON.stringify(rule)}`);
});

test('uncovered finds what a user does not hold', () => {
  const owned = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'services'] }, { verbs: ['*'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] }];
  assert.deepEqual(uncovered(owned, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), []);
  assert.deepEqual(uncovered(owned, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]), [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }]);
  assert.equal(uncovered(owned, [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }]).length, 1, 'a wildcard is only covered by a wildcard');
  assert.deepEqual(uncovered(owned, [{ verbs: ['update'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] }]), []);
  assert.equal(uncovered(owned, [{ verbs: ['update'], apiGroups: ['apps'], resources: ['deployments'] }]).length, 1);
  assert.equal(formatRule({ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }), '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../errors.js';
import { escapeFieldValue, parseFieldSelector } from './selector.js';

describe('parseFieldSelector', () => {
  const cases: { sel: string; reqs: [string, string, string][] }[] = [
    { sel: '', reqs: [] },
    { sel: 'metadata.name=foo', reqs: [['metadata.name', '=', 'foo']] },
    { sel: 'spec.nodeName==n1,status.phase!=Running', reqs: [['spec.nodeName', '=', 'n1'], ['status.phase', '!=', 'Running']] },
    { sel: 'a=x\\,y', reqs: [['a', '=', 'x,y']] },
    { sel: 'a=x\\=y\\\\', reqs: [['a', '=', 'x=y\\']] },
    { sel: 'spec.nodeName=', reqs: [['spec.nodeName', '=', '']] },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.sel), () => {
      const s = parseFieldSelector(c.sel);
      assert.deepEqual(s.requirements.map((r) => [r.field, r.op, r.value]), c.reqs);
      assert.equal(s.empty, c.reqs.length === 0);
    });
  }
  it('matches with absent fields reading as ""', () => {
    const s = parseFieldSelector('spec.nodeName=,status.phase!=Failed');
    assert.equal(s.matches({}), true);
    assert.equal(s.matches({ 'spec.nodeName': 'n1' }), false);
    assert.equal(s.matches({ 'status.phase': 'Failed' }), false);
  });
  for (const bad of ['foo', 'a=b\\x', 'a=b=c']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseFieldSelector(bad), (e: unknown) => isStatusError(e) && e.code === 400));
  }
  it('round-trips escaped values', () => {
    assert.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\');
    assert.equal(parseFieldSelector('a=x\\,y').toString(), 'a=x\\,y');
  });
});

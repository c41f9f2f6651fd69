import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError } from '../errors.js';
import { everything, labelSelectorFromObject, labelSelectorToString, parseSelector, validateLabels, validateLabelSelector } from './selector.js';

describe('parseSelector', () => {
  const cases: { sel: string; labels: Record<string, string> | undefined; want: boolean; str: string }[] = [
    { sel: '', labels: { a: 'b' }, want: true, str: '' },
    { sel: 'a=b', labels: { a: 'b' }, want: true, str: 'a=b' },
    { sel: 'a==b', labels: { a: 'c' }, want: false, str: 'a==b' },
    { sel: 'a!=b', labels: {}, want: true, str: 'a!=b' },
    { sel: 'a!=b', labels: { a: 'b' }, want: false, str: 'a!=b' },
    { sel: 'a in (y, x)', labels: { a: 'x' }, want: true, str: 'a in (x,y)' },
    { sel: 'a in (x)', labels: undefined, want: false, str: 'a in (x)' },
    { sel: 'a notin (x)', labels: {}, want: true, str: 'a notin (x)' },
    { sel: 'a notin (x)', labels: { a: 'x' }, want: false, str: 'a notin (x)' },
    { sel: 'a', labels: { a: '' }, want: true, str: 'a' },
    { sel: '!a', labels: { a: '' }, want: false, str: '!a' },
    { sel: 'z=1, a', labels: { a: 'q', z: '1' }, want: true, str: 'a,z=1' },
    { sel: 'a=', labels: { a: '' }, want: true, str: 'a=' },
    { sel: 'a>5', labels: { a: '7' }, want: true, str: 'a>5' },
    { sel: 'a<5', labels: { a: 'x' }, want: false, str: 'a<5' },
    { sel: 'app.kubernetes.io/name=web', labels: { 'app.kubernetes.io/name': 'web' }, want: true, str: 'app.kubernetes.io/name=web' },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.sel)} on ${JSON.stringify(c.labels)}`, () => {
      const s = parseSelector(c.sel);
      assert.equal(s.matches(c.labels), c.want);
      assert.equal(s.toString(), c.str);
    });
  }

  for (const bad of ['a in', 'a in (x', '=b', 'a=b,', 'a b', 'a=b=c', 'a notin x', 'Bad_key_=x', 'a=b c', '!a=b']) {
    it(`rejects ${JSON.stringify(bad)} with 400`, () => {
      assert.throws(() => parseSelector(bad), (e: unknown) => isStatusError(e) && e.code === 400 && e.reason === 'BadRequest');
    });
  }

  it('everything is empty and matches anything', () => {
    assert.equal(everything().empty, true);
    assert.equal(everything().matches(undefined), true);
    assert.equal(parseSelector('a').empty, false);
  });
});

describe('labelSelectorFromObject', () => {
  it('null selects nothing, {} everything', () => {
    assert.equal(labelSelectorFromObject(null).matches({}), false);
    assert.equal(labelSelectorFromObject(undefined).matches({ a: 'b' }), false);
    assert.equal(labelSelectorFromObject({}).matches({ a: 'b' }), true);
  });
  it('combines matchLabels and matchExpressions', () => {
    const s = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'env', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    });
    assert.equal(s.matches({ app: 'web', tier: 'edge', env: 'x' }), true);
    assert.equal(s.matches({ app: 'web', tier: 'edge', env: 'x', legacy: '1' }), false);
    assert.equal(s.matches({ app: 'web', tier: 'edge', env: 'x', zone: 'b' }), false);
    assert.equal(s.toString(), 'app=web,env,!legacy,tier in (edge,front),zone notin (b)');
  });
  it('rejects unknown operators', () => {
    assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Maybe' }] }), isStatusError);
  });
});

describe('labelSelectorToString', () => {
  const cases: [unknown, string][] = [
    [{ matchLabels: { name: 'letschat' } }, 'name=letschat'],
    [{}, '<none>'],
    [null, '<none>'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, '<error>'],
  ];
  for (const [sel, want] of cases) it(`${JSON.stringify(sel)} → ${want}`, () => assert.equal(labelSelectorToString(sel), want));
});

describe('validateLabels / validateLabelSelector', () => {
  it('reports bad keys and values at the map path', () => {
    const errs = validateLabels({ 'bad key': 'ok', good: 'bad value!' }, 'metadata.labels');
    assert.deepEqual(errs.map((e) => [e.type, e.field, e.badValue]), [
      ['FieldValueInvalid', 'metadata.labels', 'bad key'],
      ['FieldValueInvalid', 'metadata.labels', 'bad value!'],
    ]);
  });
  it('checks expression operators and values', () => {
    const errs = validateLabelSelector(
      {
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Near' },
        ],
      },
      'spec.selector',
    );
    assert.deepEqual(errs.map((e) => [e.type, e.field]), [
      ['FieldValueRequired', 'spec.selector.matchExpressions[0].values'],
      ['FieldValueForbidden', 'spec.selector.matchExpressions[1].values'],
      ['FieldValueInvalid', 'spec.selector.matchExpressions[2].operator'],
    ]);
  });
});

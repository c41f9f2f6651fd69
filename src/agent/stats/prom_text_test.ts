import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goFloat, parsePromText, renderFamilies } from './prom_text.js';

test('sample values are written as Go strconv.FormatFloat(v, g, -1) writes them', () => {
  const cases: [number, string][] = [
    [0, '0'], [1, '1'], [357.35491, '357.35491'], [123456, '123456'], [1234567, '1.234567e+06'], [16777216, '1.6777216e+07'],
    [1.7e9, '1.7e+09'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [-2.5, '-2.5'], [1e21, '1e+21'], [1e100, '1e+100'],
    [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN'],
  ];
  for (const [v, want] of cases) assert.equal(goFloat(v), want, String(v));
});

test('families render sorted, with sorted and escaped labels and ms timestamps, and parse back', () => {
  const text = renderFamilies([
    { name: 'b_total', type: 'counter', help: 'B things', samples: [{ labels: { pod: 'p"1', namespace: 'ns\\x' }, value: 12.5, timestampMs: 1700000000123 }] },
    { name: 'a_bytes', type: 'gauge', help: 'A\nbytes', samples: [{ labels: {}, value: 16777216 }] },
    { name: 'empty', type: 'gauge', help: 'left out', samples: [] },
  ]);
  assert.equal(text, [
    '# HELP a_bytes A\\nbytes', '# TYPE a_bytes gauge', 'a_bytes 1.6777216e+07',
    '# HELP b_total B things', '# TYPE b_total counter', 'b_total{namespace="ns\\\\x",pod="p\\"1"} 12.5 1700000000123', '',
  ].join('\n'));
  const parsed = parsePromText(text);
  assert.deepEqual([...parsed.keys()], ['a_bytes', 'b_total']);
  assert.equal(parsed.get('a_bytes')?.help, 'A\nbytes');
  assert.equal(parsed.get('a_bytes')?.samples[0]?.value, 16777216);
  assert.deepEqual(parsed.get('b_total'), { name: 'b_total', help: 'B things', type: 'counter', samples: [{ labels: { namespace: 'ns\\x', pod: 'p"1' }, value: 12.5, timestampMs: 1700000000123 }] });
});

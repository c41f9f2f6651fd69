import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CriLogFormatter, formatTimestamp, parseCriLogLine, type LogOutputOptions } from './cri_log.js';

test('parseCriLogLine reads timestamp, stream, tags and content', () => {
  const cases: [string, { stream: string; partial: boolean; content: string } | undefined][] = [
    ['2024-01-02T03:04:05.123456789Z stdout F hello world', { stream: 'stdout', partial: false, content: 'hello world' }],
    ['2024-01-02T03:04:05.1Z stderr P part', { stream: 'stderr', partial: true, content: 'part' }],
    ['2024-01-02T03:04:05Z stdout F ', { stream: 'stdout', partial: false, content: '' }],
    ['2024-01-02T03:04:05Z stdout F', { stream: 'stdout', partial: false, content: '' }],
    ['2024-01-02T03:04:05.5+01:00 stdout F  two spaces', { stream: 'stdout', partial: false, content: ' two spaces' }],
    ['garbage', undefined],
    ['2024-01-02T03:04:05Z stdin F x', undefined],
    ['notatime stdout F x', undefined],
  ];
  for (const [line, want] of cases) {
    const e = parseCriLogLine(Buffer.from(line));
    if (!want) {
      assert.equal(e, undefined, line);
      continue;
    }
    assert.ok(e, line);
    assert.deepEqual({ stream: e.stream, partial: e.partial, content: e.content.toString() }, want, line);
  }
});

test('formatTimestamp pads the fraction to nine digits and keeps the zone', () => {
  assert.equal(formatTimestamp('2024-01-02T03:04:05.123456789Z'), '2024-01-02T03:04:05.123456789Z');
  assert.equal(formatTimestamp('2024-01-02T03:04:05.5Z'), '2024-01-02T03:04:05.500000000Z');
  assert.equal(formatTimestamp('2024-01-02T03:04:05+02:00'), '2024-01-02T03:04:05.000000000+02:00');
});

function run(opts: LogOutputOptions, lines: string[]): string {
  const f = new CriLogFormatter(opts);
  return lines.map((l) => f.format(parseCriLogLine(Buffer.from(l))!).toString()).join('');
}

test('CriLogFormatter joins partial lines, prefixes timestamps per line, filters and limits', () => {
  const lines = ['2024-01-02T03:04:05.1Z stdout P ab', '2024-01-02T03:04:06Z stdout F cd', '2024-01-02T03:04:07Z stderr F ef'];
  assert.equal(run({ timestamps: false }, lines), 'abcd\nef\n');
  assert.equal(run({ timestamps: true }, lines), '2024-01-02T03:04:05.100000000Z abcd\n2024-01-02T03:04:07.000000000Z ef\n');
  assert.equal(run({ timestamps: false, sinceMs: Date.parse('2024-01-02T03:04:06Z') }, lines), 'cd\nef\n');
  assert.equal(run({ timestamps: false, limitBytes: 5 }, lines), 'abcd\n');
  assert.equal(run({ timestamps: false, limitBytes: 3 }, lines), 'abc');
});

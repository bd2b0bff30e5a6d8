import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [2, null]])).toBe('a,b\r\n1,x\r\n2,\r\n');
  });

  it('quotes fields with commas, quotes or line breaks', () => {
    expect(toCsv(['t'], [['▁a,b'], ['say "hi"'], ['two\nlines']])).toBe('t\r\n"▁a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n');
  });
});

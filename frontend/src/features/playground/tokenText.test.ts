import { describe, expect, it } from 'vitest';
import { displayText } from './tokenText';

describe('displayText', () => {
  it('reads SentencePiece pieces as text', () => {
    expect(displayText('▁the')).toBe(' the');
    expect(displayText('<s>')).toBe('<s>');
  });

  it('shows byte tokens by what they encode, whitespace as a visible mark', () => {
    expect(displayText('<0x0A>')).toBe('⏎');
    expect(displayText('<0x41>')).toBe('A');
    expect(displayText('<0xF0>')).toBe('\\xF0');
  });
});

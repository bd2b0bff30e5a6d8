/**
 * How a raw vocabulary piece reads on screen: SentencePiece's '▁' is a space, byte tokens (<0x0A>) are
 * shown by what they encode (a visible mark for whitespace), special tokens (<s>) stay as they are.
 */
const BYTE = /^<0x([0-9A-Fa-f]{2})>$/;

export function displayText(piece: string): string {
  const byte = BYTE.exec(piece);
  if (byte?.[1] !== undefined) {
    const code = parseInt(byte[1], 16);
    if (code === 0x0a) return '⏎';
    if (code === 0x09) return '⇥';
    if (code === 0x20) return '␣';
    return code >= 0x21 && code < 0x7f ? String.fromCharCode(code) : `\\x${byte[1]}`;
  }
  return piece.replaceAll('▁', ' ');
}

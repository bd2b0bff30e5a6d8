/**
 * One colour per expert index, the same in every view: Tableau 10 (a categorical palette tuned for
 * distinguishability) for the first ten, then hues spaced by the golden angle. Text on a coloured
 * background takes black or white, whichever has the higher WCAG contrast.
 */
import { rgb } from 'd3-color';
import { interpolateSinebow, schemeTableau10 } from 'd3-scale-chromatic';

export function expertColour(expert: number): string {
  const named = schemeTableau10[expert];
  if (named !== undefined) {
    return named;
  }
  return rgb(interpolateSinebow((expert * 0.618034) % 1)).formatHex();
}

/** WCAG 2 relative luminance of a CSS colour. */
export function relativeLuminance(colour: string): number {
  const { r, g, b } = rgb(colour);
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export function textColourOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

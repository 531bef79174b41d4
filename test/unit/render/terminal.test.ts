import { describe, expect, it } from 'vitest';
import { detectColorMode, renderTokensTerminal, xterm256 } from '../../../src/render/terminal.js';

const rows = [{ label: 'IG', tokens: ['good', 'bad'], values: [1, -1] }];
const E = '\x1b[';

describe('detectColorMode', () => {
  it('honours NO_COLOR, TTY, TERM=dumb, COLORTERM and explicit choices', () => {
    expect(detectColorMode({ env: { COLORTERM: 'truecolor' }, isTTY: true })).toBe('truecolor');
    expect(detectColorMode({ env: {}, isTTY: true })).toBe('256');
    expect(detectColorMode({ env: { NO_COLOR: '1', COLORTERM: 'truecolor' }, isTTY: true })).toBe('none');
    expect(detectColorMode({ env: { NO_COLOR: '' }, isTTY: true })).toBe('256'); // empty NO_COLOR does not count
    expect(detectColorMode({ env: {}, isTTY: false })).toBe('none');
    expect(detectColorMode({ env: { TERM: 'dumb' }, isTTY: true })).toBe('none');
    expect(detectColorMode({ env: { NO_COLOR: '1' }, isTTY: false, color: true })).toBe('256');
    expect(detectColorMode({ env: { COLORTERM: 'truecolor' }, isTTY: true, color: false })).toBe('none');
    expect(detectColorMode({ color: 'truecolor', isTTY: false })).toBe('truecolor');
  });
});

describe('renderTokensTerminal', () => {
  it('24-bit colours', () => {
    const out = renderTokensTerminal(rows, { color: 'truecolor', target: 'pos' });
    expect(out).toBe(
      `IG  ${E}48;2;103;0;31;38;2;255;255;255m good ${E}0m ${E}48;2;5;48;97;38;2;255;255;255m bad ${E}0m  (max |v| 1.00)\n` +
        `legend: -max ${E}48;2;5;48;97;38;2;5;48;97m  ${E}0m${E}48;2;107;172;209;38;2;107;172;209m  ${E}0m${E}48;2;247;247;247;38;2;247;247;247m  ${E}0m` +
        `${E}48;2;229;131;104;38;2;229;131;104m  ${E}0m${E}48;2;103;0;31;38;2;103;0;31m  ${E}0m +max  red pushes toward "pos", blue against; each row on its own scale\n`,
    );
  });

  it('256 colours', () => {
    const out = renderTokensTerminal(rows, { color: '256', legend: false });
    expect(out).toBe(`IG  ${E}48;5;52;38;5;231m good ${E}0m ${E}48;5;23;38;5;231m bad ${E}0m  (max |v| 1.00)\n`);
  });

  it('plain text with numbers when colour is off (NO_COLOR)', () => {
    const out = renderTokensTerminal(rows, { env: { NO_COLOR: '1' }, isTTY: true, target: 'pos' });
    expect(out).toBe('IG  good(+1.00) bad(-1.00)  (max |v| 1.00)\nlegend: token(value); + pushes toward "pos", - against; each row on its own scale\n');
  });

  it('brackets or underlines merged words, shares a scale, and neutralises control characters', () => {
    const row = { label: 'x', tokens: ['wonder', '##ful', '\x1b[2J'], values: [0.5, 0.25, 0], wordIds: [0, 0, 1] };
    expect(renderTokensTerminal([row], { color: 'none', legend: false })).toBe('x  [wonder(+0.500) ##ful(+0.250)] \\x1b[2J(0.000)  (max |v| 0.500)\n');
    const coloured = renderTokensTerminal([row], { color: 'truecolor', legend: false });
    expect(coloured).toContain(`${E}4;48;2;103;0;31;38;2;255;255;255m wonder ${E}0m${E}4;48;2;`);
    expect(coloured).not.toContain('\x1b[2J');
    const shared = renderTokensTerminal([rows[0]!, { label: 'B', tokens: ['y'], values: [0.5] }], { color: 'none', scale: 'shared' });
    expect(shared).toBe('IG  good(+1.00) bad(-1.00)  (max |v| 1.00)\nB   y(+0.50)  (max |v| 1.00)\nlegend: token(value); + pushes toward the target, - against; one scale for all rows\n');
  });

  it('picks the nearest xterm-256 entry', () => {
    expect(xterm256([255, 255, 255])).toBe(231);
    expect(xterm256([0, 0, 0])).toBe(16);
    expect(xterm256([128, 128, 128])).toBe(244); // gray ramp 8 + 10·12 = 128
    expect(xterm256([255, 0, 0])).toBe(196);
  });
});

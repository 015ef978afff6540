// ANSI escape codes in log lines, turned into styled text. Only SGR codes (colours,
// bold, dim, italic, underline) are kept, as CSS classes; every other escape or control
// character is dropped. The result is a list of { text, classes } runs for textContent:
// a log line never becomes HTML.

// CSI sequences (ESC [ ... final byte); SGR ends in "m".
const CSI = /\x1b\[([0-9;?]*)([@-~])/g;
// Control characters other than tab, and a lone ESC that starts no CSI sequence.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

const COLOURS = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

/** Applies one SGR parameter list ("1;31") to a style. */
function applySgr(style, params) {
  const codes = params === "" ? [0] : params.split(";").map((p) => Number(p || 0));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) Object.assign(style, { fg: "", bold: false, dim: false, italic: false, underline: false });
    else if (c === 1) style.bold = true;
    else if (c === 2) style.dim = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 22) style.bold = style.dim = false;
    else if (c === 23) style.italic = false;
    else if (c === 24) style.underline = false;
    else if (c >= 30 && c <= 37) style.fg = COLOURS[c - 30];
    else if (c >= 90 && c <= 97) style.fg = `bright-${COLOURS[c - 90]}`;
    else if (c === 39) style.fg = "";
    else if (c === 38 || c === 48) i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0; // 256/RGB colours: skipped
  }
}

function classesOf(style) {
  const classes = [];
  if (style.fg) classes.push(`ansi-${style.fg}`);
  for (const flag of ["bold", "dim", "italic", "underline"]) if (style[flag]) classes.push(`ansi-${flag}`);
  return classes;
}

/** Splits a line into styled runs; `style` carries over from line to line, as in a terminal. */
export function ansiRuns(line, style = { fg: "", bold: false, dim: false, italic: false, underline: false }) {
  const runs = [];
  let last = 0;
  const push = (text) => {
    text = text.replace(CONTROL, "");
    if (text) runs.push({ text, classes: classesOf(style) });
  };
  for (const m of line.matchAll(CSI)) {
    push(line.slice(last, m.index));
    if (m[2] === "m") applySgr(style, m[1]);
    last = m.index + m[0].length;
  }
  push(line.slice(last));
  return runs;
}

/** A new style for `ansiRuns` (one per log: colours carry over between lines). */
export const plainStyle = () => ({ fg: "", bold: false, dim: false, italic: false, underline: false });

// Test helper: what a terminal shows at the end of a byte stream, for the few control sequences the
// terminal view writes (erase line, cursor up, column 1, carriage return); colours and cursor visibility
// are dropped. The live view redraws its lines in place, so this is the screen a user is left with.
const CONTROL = /\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+/g;

export function finalScreen(stream: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let column = 0;
  for (const match of stream.matchAll(CONTROL)) {
    const [text, parameter = '', command] = match;
    if (text === '\n') {
      row++;
      column = 0;
      lines[row] ??= '';
    } else if (text === '\r') column = 0;
    else if (command === 'A') row = Math.max(0, row - Number(parameter || 1));
    else if (command === 'G') column = Number(parameter || 1) - 1;
    else if (command === 'K') lines[row] = parameter === '2' ? '' : lines[row]!.slice(0, column);
    else if (command === undefined) {
      const line = lines[row]!.padEnd(column);
      lines[row] = line.slice(0, column) + text + line.slice(column + text.length);
      column += text.length;
    }
  }
  return lines.map((line) => line.trimEnd()).filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
}

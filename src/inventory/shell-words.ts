// Splits an INI host line into words as Ansible does, with Python's shlex in POSIX mode: whitespace separates
// words, quotes group and are removed, a backslash escapes the next character (inside double quotes only `\`
// and `"`), and `#` starts a comment anywhere outside quotes, even in the middle of a word.

export class ShellWordsError extends Error {}

export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '#') {
      break;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ShellWordsError('No escaped character');
      word += line[i + 1]!;
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellWordsError('No closing quotation');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (true) {
        if (i >= line.length) throw new ShellWordsError('No closing quotation');
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && (line[i + 1] === '\\' || line[i + 1] === '"')) {
          word += line[i + 1]!;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

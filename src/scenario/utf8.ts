import { isUtf8 } from 'node:buffer';
import { InputError } from './errors.ts';

/**
 * The text of an input file's bytes, which must be UTF-8 (as YAML, JSON and CSV files are
 * written today). Bytes that are not UTF-8 are refused with the line of the first, rather than
 * read as U+FFFD: a name or a number would change silently, and the manifest's SHA-256 of the
 * text would not be the file's.
 */
export function decodeUtf8(file: string, bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const bom = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (bom) throw new InputError(file, [{ path: '', line: 1, message: 'the file is in UTF-16 (it begins with a UTF-16 byte-order mark); expected UTF-8: save it as UTF-8' }]);
  // A newline byte is never inside a multi-byte UTF-8 sequence, so each line can be checked alone.
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) break;
    start = end + 1;
  }
  throw new InputError(file, [{ path: '', line, message: 'bytes that are not UTF-8 on this line (a file saved as Latin-1 or Windows-1252?); expected UTF-8: save it as UTF-8' }]);
}

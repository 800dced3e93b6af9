/**
 * Where `pp send` reads its lines. A file is streamed twice — a check pass (every line JSON,
 * the count for the progress bar, the digest that ties a journal to this input), then the send
 * in windows — so its size is not bounded by memory. Stdin can be read only once, so it is held
 * in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { isJson, notJsonError, toInputLine, type InputLine } from './input';

/** Raw lines, readable more than once. */
export interface LineSource {
  /** A fresh pass over the raw lines. */
  lines(): AsyncIterable<string>;
}

/** A file, streamed on every pass. */
export function fileSource(path: string): LineSource {
  return { lines: () => createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity }) };
}

/** Text already in memory (stdin). */
export function textSource(text: string): LineSource {
  return { lines: () => createInterface({ input: Readable.from([text]), crlfDelay: Infinity }) };
}

/** What the check pass found. */
export interface SourceCheck {
  /** SHA-256 of the raw lines, each followed by a newline. */
  readonly digest: string;
  /** Non-empty lines. */
  readonly total: number;
}

/** The check pass. @throws Error naming (up to ten) lines that are not JSON: nothing is sent then */
export async function checkSource(source: LineSource): Promise<SourceCheck> {
  const hash = createHash('sha256');
  const bad: number[] = [];
  let number = 0;
  let total = 0;
  for await (const raw of source.lines()) {
    number++;
    hash.update(`${raw}\n`);
    const line = toInputLine(raw, number);
    if (line === undefined) continue;
    total++;
    if (!isJson(line.body)) bad.push(line.line);
  }
  if (bad.length > 0) throw notJsonError(bad);
  return { digest: hash.digest('hex'), total };
}

/** The non-empty lines, `size` at a time, numbered as in the input. */
export async function* lineWindows(source: LineSource, size: number): AsyncGenerator<InputLine[]> {
  let window: InputLine[] = [];
  let number = 0;
  for await (const raw of source.lines()) {
    const line = toInputLine(raw, ++number);
    if (line === undefined) continue;
    window.push(line);
    if (window.length === size) {
      yield window;
      window = [];
    }
  }
  if (window.length > 0) yield window;
}

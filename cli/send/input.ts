/**
 * `pp send`'s input: a JSON-lines text, one message body per non-empty line, numbered by its
 * line in the file (1-based) so the journal and error messages point at the line.
 */
import { createHash } from 'node:crypto';
import { parseFieldPath, readField, routingKeyOf } from '../../functions/lib/routing/field-path';
import type { PublishMessage } from '../../functions/lib/publisher';

/** One line to send. */
export interface InputLine {
  /** 1-based line number in the input. */
  readonly line: number;
  /** The line's text, sent as the message body. */
  readonly body: string;
}

/** The line to send from raw line number `line` (1-based), or undefined for a blank line. */
export function toInputLine(raw: string, line: number): InputLine | undefined {
  const body = raw.replace(/\r$/, '');
  return body.trim() === '' ? undefined : { line, body };
}

/** Whether a body is JSON. */
export function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** The error for lines that are not JSON (the first ten named). */
export function notJsonError(bad: readonly number[]): Error {
  return new Error(`${bad.length} line(s) are not JSON, nothing was sent: line ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', …' : ''}`);
}

/** The non-empty lines of `text`. @throws Error listing (up to ten) lines that are not JSON */
export function parseInput(text: string): InputLine[] {
  const lines = text.split('\n').flatMap((raw, index) => toInputLine(raw, index + 1) ?? []);
  const bad = lines.filter((l) => !isJson(l.body)).map((l) => l.line);
  if (bad.length > 0) throw notJsonError(bad);
  return lines;
}

/** FIFO settings: which body fields give the group and deduplication ids. */
export interface FifoFields {
  /** Dot path of the message group id field. */
  readonly groupField: string;
  /** Dot path of the deduplication id field. @default - a hash of the line number and body */
  readonly dedupField?: string;
}

/**
 * The message of one line: its entry id is the line number. On a FIFO queue the group id comes
 * from a body field, and the deduplication id from another field or from the line and body, so
 * a batch re-sent after a lost acknowledgement is dropped by SQS within its 5-minute window.
 *
 * @throws Error when a FIFO field is missing from the line
 */
export function toMessage(input: InputLine, fifo?: FifoFields): PublishMessage {
  if (!fifo) return { id: String(input.line), body: input.body };
  const parsed: unknown = JSON.parse(input.body);
  const field = (path: string): string => {
    const key = routingKeyOf(readField(parsed, parseFieldPath(path)));
    if (key === undefined) throw new Error(`line ${input.line}: field "${path}" is missing or not a string, number or boolean`);
    return key;
  };
  const dedup = fifo.dedupField === undefined ? createHash('sha256').update(`${input.line}\n${input.body}`).digest('hex') : field(fifo.dedupField);
  return { id: String(input.line), body: input.body, messageGroupId: field(fifo.groupField), messageDeduplicationId: dedup };
}

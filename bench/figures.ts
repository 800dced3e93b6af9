/**
 * docs/figures.md: the figures `npm run bench` printed, one section per benchmark with the
 * date and the command that produced them. Running some benchmarks replaces their sections
 * and keeps the others, so the file always holds each benchmark's latest run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One benchmark's latest figures. */
export interface FigureSection {
  /** The benchmark (`bench/<name>.bench.ts`). */
  readonly name: string;
  /** When it ran, ISO 8601 UTC. */
  readonly date: string;
  /** The command that ran it, e.g. `npm run bench -- soak`. */
  readonly command: string;
  /** The lines it printed. */
  readonly lines: readonly string[];
}

const HEADER = [
  '# Figures',
  '',
  'Written by `npm run bench` (bench/run.ts): each section is the latest run of one benchmark,',
  'with its date and command. Every figure is measured on the local runtime unless its line',
  'says `modeled` (the formula is in that bench\'s doc comment). Requests are counted as',
  '`local-runtime/runtime/accounting/billing.ts` defines them: Lambda invocations + SQS requests',
  '(the mappings\' receives and deletes included) + DynamoDB requests; empty receives apart.',
  '',
].join('\n');

/** The section of one benchmark, as markdown. */
export function renderSection(section: FigureSection): string {
  return [`## ${section.name}`, '', `${section.date} — \`${section.command}\``, '', '```', ...section.lines, '```', ''].join('\n');
}

/** Parses the sections of a figures file (what {@link renderFigures} wrote). */
export function parseFigures(text: string): FigureSection[] {
  const sections: FigureSection[] = [];
  for (const chunk of text.split(/^## /m).slice(1)) {
    const match = /^(\S+)\n\n(\S+) — `([^`]*)`\n\n```\n([\s\S]*?)```/.exec(chunk);
    if (!match) continue;
    const body = match[4]!;
    sections.push({ name: match[1]!, date: match[2]!, command: match[3]!, lines: body === '' ? [] : body.replace(/\n$/, '').split('\n') });
  }
  return sections;
}

/** The whole file: the header, then every section sorted by benchmark name. */
export function renderFigures(sections: readonly FigureSection[]): string {
  return [HEADER, ...[...sections].sort((a, b) => a.name.localeCompare(b.name)).map(renderSection)].join('\n');
}

/** `existing` with `fresh` replacing the sections of the same benchmarks. */
export function mergeFigures(existing: readonly FigureSection[], fresh: readonly FigureSection[]): FigureSection[] {
  const names = new Set(fresh.map((s) => s.name));
  return [...existing.filter((s) => !names.has(s.name)), ...fresh];
}

/** Updates the figures file at `path` with `fresh` sections. */
export function writeFigures(path: string, fresh: readonly FigureSection[]): void {
  const existing = existsSync(path) ? parseFigures(readFileSync(path, 'utf8')) : [];
  writeFileSync(path, renderFigures(mergeFigures(existing, fresh)));
}

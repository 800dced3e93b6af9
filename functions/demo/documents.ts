/**
 * The document-intelligence demo's pure logic: split a document into
 * chunks, extract entities (capitalised names) and clauses ("shall" sentences) per chunk,
 * keeping provenance, and merge the findings of many documents into one report.
 */

/** What one document yields. */
export interface DocumentFindings {
  readonly key: string;
  readonly chunks: number;
  /** Entity → mentions in this document. */
  readonly entities: Readonly<Record<string, number>>;
  /** Clauses found, with the chunk each came from. */
  readonly clauses: readonly { readonly chunk: number; readonly text: string }[];
}

/** Paragraphs per chunk: the "50-page chunks" of the seed, scaled down. */
export const PARAGRAPHS_PER_CHUNK = 3;

const ENTITY = /\b(?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)*\s+(?:Ltd|Inc|GmbH|LLC|Corp)\b|\b[A-Z][a-z]+ [A-Z][a-z]+\b/g;

/** Analyses one document's text. */
export function analyseDocument(key: string, text: string): DocumentFindings {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const entities: Record<string, number> = {};
  const clauses: { chunk: number; text: string }[] = [];
  for (let i = 0; i < paragraphs.length; i++) {
    const chunk = Math.floor(i / PARAGRAPHS_PER_CHUNK);
    for (const match of paragraphs[i]!.matchAll(ENTITY)) entities[match[0]] = (entities[match[0]] ?? 0) + 1;
    for (const sentence of paragraphs[i]!.split(/(?<=\.)\s+/)) if (/\bshall\b/.test(sentence)) clauses.push({ chunk, text: sentence });
  }
  return { key, chunks: Math.ceil(paragraphs.length / PARAGRAPHS_PER_CHUNK), entities, clauses };
}

/** The combined report: entity totals with the documents that mention them, and clause counts. */
export function mergeFindings(findings: readonly DocumentFindings[]): { documents: number; chunks: number; clauses: number; entities: { name: string; mentions: number; documents: string[] }[] } {
  const byEntity = new Map<string, { mentions: number; documents: string[] }>();
  for (const f of findings) {
    for (const [name, n] of Object.entries(f.entities)) {
      const e = byEntity.get(name) ?? { mentions: 0, documents: [] };
      e.mentions += n;
      e.documents.push(f.key);
      byEntity.set(name, e);
    }
  }
  const entities = [...byEntity].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name));
  return { documents: findings.length, chunks: findings.reduce((s, f) => s + f.chunks, 0), clauses: findings.reduce((s, f) => s + f.clauses.length, 0), entities };
}

/** Deterministic 0–99 bucket of a key, for the demo's injected failures. */
export function keyPercentile(key: string): number {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % 100;
}

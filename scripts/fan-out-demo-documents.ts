/**
 * The documents the fan-out demo and its end-to-end test analyse: generated contract-like
 * texts, a few with no entity (set aside by the validator) and a few corrupt (failed for good).
 */

const PARTIES = ['Acme Ltd', 'Globex Inc', 'Initech LLC', 'Umbrella Corp', 'Hooli GmbH'];
const PEOPLE = ['Jane Doe', 'John Smith', 'Maria Garcia', 'Wei Chen'];

/** One generated document. */
export interface DemoDocument {
  readonly key: string;
  readonly text: string;
  readonly kind: 'contract' | 'empty' | 'corrupt';
}

/** `n` documents under `prefix`: every 9th has no entity, every 13th is corrupt. */
export function demoDocuments(n: number, prefix = 'inbox/'): DemoDocument[] {
  return Array.from({ length: n }, (_, i) => {
    const key = `${prefix}doc-${String(i).padStart(5, '0')}.txt`;
    if (i % 13 === 12) return { key, kind: 'corrupt' as const, text: 'CORRUPT %PDF-1.7 binary garbage' };
    if (i % 9 === 8) return { key, kind: 'empty' as const, text: 'lorem ipsum dolor sit amet.\n\nconsectetur adipiscing elit.' };
    const a = PARTIES[i % PARTIES.length]!;
    const b = PARTIES[(i + 2) % PARTIES.length]!;
    const person = PEOPLE[i % PEOPLE.length]!;
    const paragraphs = [
      `This agreement is made between ${a} and ${b}.`,
      `${a} shall deliver the goods within 30 days. Payment is due on delivery.`,
      `Signed for ${b} by ${person}.`,
      `${b} shall keep all terms confidential.`,
      `Notices go to ${person} at the address above.`,
    ];
    return { key, kind: 'contract' as const, text: paragraphs.join('\n\n') };
  });
}

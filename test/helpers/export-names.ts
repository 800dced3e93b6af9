/**
 * The names a re-export-only entry file (`functions/runtime.ts`, `infra/index.ts`, …) makes
 * public, values and types alike, read from its source so that type-only exports count too.
 */
import { readFileSync } from 'node:fs';

/** Every exported name of `path`, sorted; throws if the file does anything but re-export. */
export function exportedNames(path: string): string[] {
  const source = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const statements = source.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  const names: string[] = [];
  for (const statement of statements) {
    const match = /^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"][^'"]+['"]$/s.exec(statement);
    if (!match) throw new Error(`${path}: not a re-export: ${statement.slice(0, 80)}`);
    for (const part of (match[1] as string).split(',').map((p) => p.trim()).filter(Boolean)) {
      const name = part.replace(/^type\s+/, '').split(/\s+as\s+/).pop() as string;
      names.push(name.trim());
    }
  }
  return names.sort();
}

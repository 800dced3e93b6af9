/**
 * What a definition uses that the local Step Functions service runs differently from AWS or
 * not at all: each becomes a boot warning, so a template never passes silently on a gap.
 */
import { UNSUPPORTED_MAP_FIELDS } from './distributed-map';

type State = Record<string, unknown>;

const READER_INPUT_TYPES = new Set(['JSON', 'JSONL', 'CSV', undefined]);

function hasIntrinsic(template: unknown): boolean {
  if (template === null || typeof template !== 'object') return false;
  return Object.entries(template).some(([k, v]) => (k.endsWith('.$') && typeof v === 'string' && v.startsWith('States.')) || hasIntrinsic(v));
}

function mapWarnings(name: string, state: State): string[] {
  const out: string[] = [];
  const at = (field: string) => field.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as State)[k] : undefined), state);
  for (const field of UNSUPPORTED_MAP_FIELDS) if (at(field) !== undefined) out.push(`Map "${name}" uses ${field}, which is not evaluated locally`);
  const reader = state.ItemReader as { Resource?: string; ReaderConfig?: { InputType?: string } } | undefined;
  if (reader && !/:s3:(getObject|listObjectsV2)$/.test(reader.Resource ?? '')) out.push(`Map "${name}" reads items with ${reader.Resource}, which is not served locally`);
  if (reader && !READER_INPUT_TYPES.has(reader.ReaderConfig?.InputType)) out.push(`Map "${name}" reads ${reader.ReaderConfig?.InputType} items, which are not parsed locally (JSON, JSONL and CSV are)`);
  if ((state.ResultWriter as State | undefined)?.WriterConfig !== undefined) out.push(`Map "${name}" uses ResultWriter.WriterConfig, which is not applied locally`);
  for (const field of ['ItemSelector', 'Parameters']) if (hasIntrinsic(state[field])) out.push(`Map "${name}" uses an intrinsic function in ${field}, which the local Distributed Map does not evaluate`);
  out.push(`Map "${name}" runs Express children locally without their 5-minute limit or Express billing; state transitions are counted for them as for Standard`);
  return out;
}

function walk(states: Record<string, State>, out: string[]): void {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as { ProcessorConfig?: { Mode?: string }; States?: Record<string, State> } | undefined;
      if (processor?.ProcessorConfig?.Mode === 'DISTRIBUTED') out.push(...mapWarnings(name, state));
      walk(processor?.States ?? {}, out);
    }
    if (state.Type === 'Parallel') for (const branch of (state.Branches as { States: Record<string, State> }[]) ?? []) walk(branch.States, out);
  }
}

/** The warnings of one definition (JSON text or object); none for a definition that is not JSON. */
export function definitionWarnings(definition: string | object): string[] {
  let parsed: State;
  try {
    parsed = (typeof definition === 'string' ? JSON.parse(definition) : definition) as State;
  } catch {
    return [];
  }
  const out: string[] = [];
  walk((parsed.States ?? {}) as Record<string, State>, out);
  return out;
}

/**
 * What an EventBridge rule target receives: the whole event, a constant `Input`, the part
 * selected by `InputPath`, or an `InputTransformer` template filled from the event.
 */
import { readPath } from './json-path';

/** The input settings of an EventBridge rule target (`AWS::Events::Rule` Targets[]). */
export interface TargetInputSettings {
  /** A constant JSON text sent instead of the event. */
  readonly Input?: string;
  /** A JSONPath selecting the part of the event to send. */
  readonly InputPath?: string;
  /** Named JSONPaths and a template they fill in. */
  readonly InputTransformer?: {
    readonly InputPathsMap?: Record<string, string>;
    readonly InputTemplate: string;
  };
}

/** Facts about the rule that `<aws.events.rule-arn>`-style template variables read. */
export interface RuleFacts {
  /** The rule's ARN. */
  readonly ruleArn: string;
  /** The rule's name. */
  readonly ruleName: string;
}

function valueFor(name: string, event: Record<string, unknown>, paths: Record<string, string>, rule: RuleFacts): unknown {
  if (name === 'aws.events.rule-arn') return rule.ruleArn;
  if (name === 'aws.events.rule-name') return rule.ruleName;
  if (name === 'aws.events.event' || name === 'aws.events.event.json') return event;
  return readPath(event, paths[name]);
}

function fillTemplate(template: string, event: Record<string, unknown>, paths: Record<string, string>, rule: RuleFacts): string {
  const known = (name: string) => Object.hasOwn(paths, name) || name.startsWith('aws.events.');
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    const close = ch === '<' ? template.indexOf('>', i) : -1;
    const name = close > i ? template.slice(i + 1, close) : '';
    if (name && known(name)) {
      const value = valueFor(name, event, paths, rule);
      // Inside a JSON string a string value goes in raw (escaped); elsewhere as JSON.
      out += inString ? (typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value ?? null)) : JSON.stringify(value ?? null);
      i = close;
      continue;
    }
    if (ch === '"' && template[i - 1] !== '\\') inString = !inString;
    out += ch;
  }
  return out;
}

/** The text a rule target receives for `event`, honouring Input / InputPath / InputTransformer. */
export function renderTargetInput(settings: TargetInputSettings, event: Record<string, unknown>, rule: RuleFacts): string {
  if (settings.Input !== undefined) return settings.Input;
  if (settings.InputPath !== undefined) return JSON.stringify(readPath(event, settings.InputPath) ?? null);
  if (settings.InputTransformer) {
    const { InputPathsMap = {}, InputTemplate } = settings.InputTransformer;
    return fillTemplate(InputTemplate, event, InputPathsMap, rule);
  }
  return JSON.stringify(event);
}

/**
 * Evaluates CloudFormation intrinsic functions against the local runtime's resources.
 *
 * Supported: `Ref` (resources, parameters, pseudo parameters), `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If`/`Fn::Equals`/`Fn::Not`/`Fn::And`/`Fn::Or`/
 * `Condition`, `Fn::FindInMap`, `Fn::Base64`, `Fn::GetAZs`. `Fn::ImportValue` fails: a local
 * run has no other deployed stacks to import from.
 */
import { IntrinsicError } from '../errors';
import type { CfnTemplate } from './types';

/** Where the resolver looks up resource references (the runtime's resource catalog). */
export interface ReferenceSource {
  /** The value of `Ref` on a resource, or undefined when the logical ID is unknown. */
  ref(logicalId: string): unknown;
  /** The value of `Fn::GetAtt` on a resource, or undefined when unknown or unsupported. */
  getAtt(logicalId: string, attribute: string): unknown;
}

/** The deployment environment a local run pretends to be. */
export interface StackEnvironment {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

/** Marks a value removed by `AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

type Handler = (args: unknown, path: string) => unknown;

/** Resolves intrinsics in template values; one instance per stack. */
export class IntrinsicResolver {
  private readonly handlers: Record<string, Handler>;

  /**
   * @param template the stack's template (parameters, conditions, mappings)
   * @param env the pseudo parameters' values
   * @param refs the resources' `Ref`/`GetAtt` values
   */
  constructor(
    private readonly template: CfnTemplate,
    private readonly env: StackEnvironment,
    private readonly refs: ReferenceSource,
  ) {
    this.handlers = {
      Ref: (a, p) => this.resolveRef(a, p),
      'Fn::GetAtt': (a, p) => this.resolveGetAtt(a, p),
      'Fn::Join': (a, p) => this.resolveJoin(a, p),
      'Fn::Sub': (a, p) => this.resolveSub(a, p),
      'Fn::Select': (a, p) => this.resolveSelect(a, p),
      'Fn::Split': (a, p) => this.resolveSplit(a, p),
      'Fn::If': (a, p) => this.resolveIf(a, p),
      'Fn::Equals': (a, p) => this.pair(a, p, 'Fn::Equals').every((v, _, all) => JSON.stringify(v) === JSON.stringify(all[0])),
      'Fn::Not': (a, p) => !this.conditionValue(this.list(a, p, 'Fn::Not')[0], p),
      'Fn::And': (a, p) => this.list(a, p, 'Fn::And').every((c) => this.conditionValue(c, p)),
      'Fn::Or': (a, p) => this.list(a, p, 'Fn::Or').some((c) => this.conditionValue(c, p)),
      Condition: (a, p) => this.condition(String(a), p),
      'Fn::FindInMap': (a, p) => this.resolveFindInMap(a, p),
      'Fn::Base64': (a, p) => Buffer.from(String(this.resolve(a, p))).toString('base64'),
      'Fn::GetAZs': () => ['a', 'b', 'c'].map((z) => `${this.env.region}${z}`),
      'Fn::ImportValue': (a, p) => {
        throw new IntrinsicError(p, `Fn::ImportValue ${JSON.stringify(a)} is not supported locally: run the exporting stack's resources in the same stack, or pass the value as a parameter`);
      },
    };
  }

  /**
   * Resolves every intrinsic inside `value` (deeply); `AWS::NoValue` removes the key.
   *
   * @param value a template value
   * @param path where it sits, for error messages
   */
  public resolve(value: unknown, path: string): unknown {
    const out = this.walk(value, path);
    return out === NO_VALUE ? undefined : out;
  }

  /** Resolves a value that must be a string. */
  public resolveString(value: unknown, path: string): string {
    const out = this.resolve(value, path);
    if (typeof out !== 'string' && typeof out !== 'number') {
      throw new IntrinsicError(path, `expected a string, got ${JSON.stringify(out)}`);
    }
    return String(out);
  }

  /** Whether the named template condition holds. */
  public condition(name: string, path: string): boolean {
    const def = this.template.Conditions?.[name];
    if (def === undefined) throw new IntrinsicError(path, `unknown condition "${name}"`);
    return this.conditionValue(def, `Conditions.${name}`);
  }

  private walk(value: unknown, path: string): unknown {
    if (Array.isArray(value)) {
      return value.map((v, i) => this.walk(v, `${path}[${i}]`)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const handler = keys.length === 1 ? this.handlers[keys[0]!] : undefined;
    if (handler) return handler((value as Record<string, unknown>)[keys[0]!], path);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const v = this.walk((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }

  private conditionValue(value: unknown, path: string): boolean {
    const out = this.walk(value, path);
    if (typeof out !== 'boolean') throw new IntrinsicError(path, `condition did not evaluate to a boolean: ${JSON.stringify(out)}`);
    return out;
  }

  private list(args: unknown, path: string, fn: string): unknown[] {
    if (!Array.isArray(args)) throw new IntrinsicError(path, `${fn} takes a list, got ${JSON.stringify(args)}`);
    return args;
  }

  private pair(args: unknown, path: string, fn: string): unknown[] {
    const list = this.list(args, path, fn);
    if (list.length !== 2) throw new IntrinsicError(path, `${fn} takes two values, got ${list.length}`);
    return list.map((v) => this.walk(v, path));
  }

  private pseudo(name: string): unknown {
    const values: Record<string, unknown> = {
      'AWS::Region': this.env.region,
      'AWS::AccountId': this.env.accountId,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.env.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${this.env.region}:${this.env.accountId}:stack/${this.env.stackName}/00000000-0000-0000-0000-000000000000`,
      'AWS::NotificationARNs': [],
      'AWS::NoValue': NO_VALUE,
    };
    return values[name];
  }

  private resolveRef(args: unknown, path: string): unknown {
    const name = String(args);
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new IntrinsicError(path, `parameter "${name}" has no default; local runs take defaults only`);
      return parameter.Default;
    }
    const value = this.refs.ref(name);
    if (value === undefined) throw new IntrinsicError(path, `Ref to unknown or unsupported resource "${name}"`);
    return value;
  }

  private resolveGetAtt(args: unknown, path: string): unknown {
    const [logicalId, ...rest] = typeof args === 'string' ? args.split('.') : this.list(args, path, 'Fn::GetAtt').map((v) => String(this.walk(v, path)));
    const attribute = rest.join('.');
    const value = this.refs.getAtt(logicalId!, attribute);
    if (value === undefined) throw new IntrinsicError(path, `Fn::GetAtt ${logicalId}.${attribute} is not supported locally`);
    return value;
  }

  private resolveJoin(args: unknown, path: string): string {
    const [sep, items] = this.list(args, path, 'Fn::Join');
    const values = this.walk(items, path);
    if (!Array.isArray(values)) throw new IntrinsicError(path, `Fn::Join needs a list, got ${JSON.stringify(values)}`);
    const bad = values.find((v) => v === null || typeof v === 'object');
    if (bad !== undefined) throw new IntrinsicError(path, `Fn::Join can only join strings, got ${JSON.stringify(bad)}`);
    return values.map(String).join(String(sep));
  }

  private resolveSub(args: unknown, path: string): string {
    const [text, vars] = typeof args === 'string' ? [args, {}] : this.list(args, path, 'Fn::Sub');
    const locals = (this.walk(vars ?? {}, path) ?? {}) as Record<string, unknown>;
    return String(text).replace(/\$\{([^}]*)\}/g, (whole, expr: string) => {
      if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
      if (expr in locals) return String(locals[expr]);
      const dot = expr.indexOf('.');
      const value = dot > 0 && !expr.startsWith('AWS::')
        ? this.resolveGetAtt([expr.slice(0, dot), expr.slice(dot + 1)], path)
        : this.resolveRef(expr, path);
      if (value === undefined) throw new IntrinsicError(path, `cannot substitute ${whole}`);
      return String(value);
    });
  }

  private resolveSelect(args: unknown, path: string): unknown {
    const [index, items] = this.list(args, path, 'Fn::Select');
    const values = this.walk(items, path);
    const i = Number(this.walk(index, path));
    if (!Array.isArray(values) || !Number.isInteger(i) || i < 0 || i >= values.length) {
      throw new IntrinsicError(path, `Fn::Select index ${JSON.stringify(index)} out of range for ${JSON.stringify(values)}`);
    }
    return values[i];
  }

  private resolveSplit(args: unknown, path: string): string[] {
    const [sep, text] = this.list(args, path, 'Fn::Split');
    return String(this.walk(text, path)).split(String(sep));
  }

  private resolveIf(args: unknown, path: string): unknown {
    const [name, whenTrue, whenFalse] = this.list(args, path, 'Fn::If');
    return this.walk(this.condition(String(name), path) ? whenTrue : whenFalse, path);
  }

  private resolveFindInMap(args: unknown, path: string): unknown {
    const [map, top, second] = this.list(args, path, 'Fn::FindInMap').map((v) => String(this.walk(v, path)));
    const value = this.template.Mappings?.[map!]?.[top!]?.[second!];
    if (value === undefined) throw new IntrinsicError(path, `Fn::FindInMap ${map}.${top}.${second} not found`);
    return value;
  }
}

/**
 * The resources of one stack as the local runtime sees them: their physical names, their
 * `Ref`/`GetAtt` values, and their properties with every intrinsic resolved.
 *
 * Values are computed on first use, so a name built from another resource's attribute
 * resolves in whatever order the template needs; a reference cycle is reported.
 */
import { IntrinsicError } from '../errors';
import { IntrinsicResolver, type ReferenceSource, type StackEnvironment } from './intrinsics';
import { generatePhysicalName } from './physical-names';
import { RESOURCE_TYPES, type NamedResource, type ResourceType } from './resource-types';
import { unemulatedAttribute, unemulatedNameProperty, unemulatedRef } from './unemulated-types';
import type { CfnResource, StackArtifact } from './types';

/** Options of {@link ResourceCatalog}. */
export interface CatalogOptions extends StackEnvironment {
  /** Origin of local URLs (queue URLs point at the gateway). */
  readonly endpoint: string;
  /** Seed of generated names. */
  readonly seed: string;
}

/** A stack's resources, resolved against the local environment. */
export class ResourceCatalog implements ReferenceSource {
  /** The resolver bound to this catalog (resolve any other template value with it). */
  public readonly resolver: IntrinsicResolver;
  private readonly names = new Map<string, string>();
  private readonly props = new Map<string, Record<string, unknown>>();
  private readonly resolving = new Set<string>();

  /**
   * @param stack the loaded stack
   * @param options the environment, the gateway origin, the naming seed
   */
  constructor(
    public readonly stack: StackArtifact,
    private readonly options: CatalogOptions,
  ) {
    this.resolver = new IntrinsicResolver(stack.template, options, this);
  }

  /** The logical IDs and definitions of the resources of one type (conditions honoured). */
  public ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.stack.template.Resources).filter(
      ([id, r]) => r.Type === type && (r.Condition === undefined || this.resolver.condition(r.Condition, `Resources.${id}`)),
    );
  }

  /** Resource types the template uses that the local runtime does not know. */
  public unsupportedTypes(): string[] {
    return [...this.unsupportedResources().keys()];
  }

  /** The resources of types the local runtime does not know, by type (sorted). */
  public unsupportedResources(): Map<string, string[]> {
    const byType = new Map<string, string[]>();
    for (const [id, r] of Object.entries(this.stack.template.Resources).sort(([, a], [, b]) => a.Type.localeCompare(b.Type))) {
      if (!(r.Type in RESOURCE_TYPES)) byType.set(r.Type, [...(byType.get(r.Type) ?? []), id]);
    }
    return byType;
  }

  /** The resource's definition. */
  public definition(logicalId: string): CfnResource {
    const resource = this.stack.template.Resources[logicalId];
    if (!resource) throw new IntrinsicError(`Resources.${logicalId}`, 'no such resource');
    return resource;
  }

  /** The resource's properties with every intrinsic resolved (cached). */
  public properties(logicalId: string): Record<string, unknown> {
    const cached = this.props.get(logicalId);
    if (cached) return cached;
    const path = `Resources.${logicalId}.Properties`;
    if (this.resolving.has(logicalId)) throw new IntrinsicError(path, 'circular reference between resources');
    this.resolving.add(logicalId);
    try {
      const resolved = (this.resolver.resolve(this.definition(logicalId).Properties ?? {}, path) ?? {}) as Record<string, unknown>;
      this.props.set(logicalId, resolved);
      return resolved;
    } finally {
      this.resolving.delete(logicalId);
    }
  }

  /** The resource's physical name: its name property, else a CloudFormation-style generated one. */
  public physicalName(logicalId: string): string {
    const cached = this.names.get(logicalId);
    if (cached) return cached;
    const type = this.typeOf(logicalId);
    const nameProperty = type?.nameProperty ?? (type ? undefined : unemulatedNameProperty(this.definition(logicalId).Type, this.definition(logicalId).Properties ?? {}));
    const explicit = nameProperty ? this.property(logicalId, nameProperty) : undefined;
    const rule = !type ? { maxLength: 128 } : typeof type.nameRule === 'function'
      ? type.nameRule({ FifoQueue: this.property(logicalId, 'FifoQueue'), FifoTopic: this.property(logicalId, 'FifoTopic') })
      : type.nameRule;
    const name = typeof explicit === 'string' ? explicit : generatePhysicalName(this.options.stackName, logicalId, this.options.seed, rule);
    this.names.set(logicalId, name);
    return name;
  }

  /**
   * One resolved property, without resolving the others: names and ARNs need only their own
   * property, and resolving everything would turn a role's inline policy that names a
   * function using that role into a false cycle.
   */
  public property(logicalId: string, key: string): unknown {
    const cached = this.props.get(logicalId);
    if (cached) return cached[key];
    const raw = this.definition(logicalId).Properties?.[key];
    return raw === undefined ? undefined : this.resolver.resolve(raw, `Resources.${logicalId}.Properties.${key}`);
  }

  /** @inheritdoc */
  public ref(logicalId: string): unknown {
    if (!(logicalId in this.stack.template.Resources)) return undefined;
    const type = this.typeOf(logicalId);
    return type ? type.ref(this.named(logicalId)) : unemulatedRef(this.definition(logicalId).Type, this.named(logicalId));
  }

  /** @inheritdoc */
  public getAtt(logicalId: string, attribute: string): unknown {
    if (!(logicalId in this.stack.template.Resources)) return undefined;
    const type = this.typeOf(logicalId);
    return type ? type.attributes[attribute]?.(this.named(logicalId)) : unemulatedAttribute(this.definition(logicalId).Type, attribute, this.named(logicalId));
  }

  /** The resolved value of a stack output, by output name. */
  public output(name: string): unknown {
    const output = this.stack.template.Outputs?.[name];
    if (!output) throw new IntrinsicError(`Outputs.${name}`, `no such output; outputs: ${Object.keys(this.stack.template.Outputs ?? {}).join(', ')}`);
    return this.resolver.resolve(output.Value, `Outputs.${name}`);
  }

  /** The type's local behaviour; undefined for a type the runtime does not run (placeholders resolve it). */
  private typeOf(logicalId: string): ResourceType | undefined {
    return RESOURCE_TYPES[this.definition(logicalId).Type];
  }

  private named(logicalId: string): NamedResource {
    return {
      name: this.physicalName(logicalId),
      region: this.options.region,
      accountId: this.options.accountId,
      props: { Path: this.property(logicalId, 'Path'), GroupName: this.property(logicalId, 'GroupName') },
      endpoint: this.options.endpoint,
    };
  }
}

/**
 * Reading a routing handler's configuration from its environment and turning it into a
 * route function. Pure: the environment is passed in.
 */
import { RoutingEnv, type RouterConfig } from '../../contract';
import { ConfigError } from '../errors';
import { quote } from '../validate';
import type { RouteFn, RoutedRecord } from './route-records';
import { createSharder, parseShardKey, shardKeyOf } from './sharder';
import { createSplitter } from './splitter';

/** A routing handler's parsed configuration. */
export interface RouterSettings {
  /** What the handler does. */
  readonly config: RouterConfig;
  /** Output `i`'s queue URL at index `i`. */
  readonly outputUrls: readonly string[];
  /** Sharder only: the shard names marked unhealthy. */
  readonly unhealthyShards: ReadonlySet<string>;
}

/**
 * Parses `PP_ROUTER_CONFIG`, the output URLs and the unhealthy shards.
 *
 * @throws ConfigError naming every missing or malformed variable, quoting its value
 */
export function readRouterSettings(env: Readonly<Record<string, string | undefined>>): RouterSettings {
  const raw = env[RoutingEnv.routerConfig];
  let config: RouterConfig;
  try {
    config = JSON.parse(raw ?? '') as RouterConfig;
  } catch {
    throw new ConfigError([`${RoutingEnv.routerConfig} must be JSON, got ${quote(raw)}`]);
  }
  const violations = configViolations(config);
  const outputUrls: string[] = [];
  for (let i = 0; i < (Number.isInteger(config?.outputs) ? config.outputs : 0); i++) {
    const url = env[`${RoutingEnv.outputUrlPrefix}${i}`];
    if (!url) violations.push(`${RoutingEnv.outputUrlPrefix}${i} must be set to output ${i}'s queue URL`);
    else outputUrls.push(url);
  }
  if (violations.length > 0) throw new ConfigError(violations);
  const unhealthy = (env[RoutingEnv.unhealthyShards] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return { config, outputUrls, unhealthyShards: new Set(unhealthy) };
}

/** Counts a route function keeps, for the handler's metrics. */
export interface RouteCounters {
  /** Items sent away from their home shard. */
  spilled: number;
}

/**
 * The route function of a configuration: output names are the output indexes as strings.
 *
 * @param counters incremented as items are routed (sharder spills)
 */
export function buildRoute(settings: RouterSettings, counters: RouteCounters = { spilled: 0 }): RouteFn {
  const { config } = settings;
  switch (config.kind) {
    case 'forward':
      return () => ['0'];
    case 'copy': {
      const all = Array.from({ length: config.outputs }, (_, i) => String(i));
      return () => all;
    }
    case 'split': {
      const routes = Object.fromEntries(Object.entries(config.routes).map(([value, index]) => [value, String(index)]));
      const split = createSplitter({ field: config.field, routes, defaultOutput: String(config.defaultOutput) });
      // A body that is not JSON has no field: it goes to the default output, never dropped.
      return (record) => [split(parseOrUndefined(record))];
    }
    case 'shard':
      return shardRoute(config, settings.unhealthyShards, counters);
  }
}

function shardRoute(config: Extract<RouterConfig, { kind: 'shard' }>, unhealthy: ReadonlySet<string>, counters: RouteCounters): RouteFn {
  const sharder = createSharder({ shards: config.shards });
  const key = parseShardKey(config.key);
  const indexOf = new Map(config.shards.map((name, i) => [name, String(i)]));
  return (record: RoutedRecord) => {
    const shardKey = shardKeyOf(parseOrUndefined(record), key, record.body);
    const shard = sharder.shardFor(shardKey, unhealthy);
    if (unhealthy.size > 0 && shard !== sharder.homeShard(shardKey)) counters.spilled++;
    return [indexOf.get(shard) as string];
  };
}

function configViolations(config: RouterConfig): string[] {
  if (typeof config !== 'object' || config === null) return [`${RoutingEnv.routerConfig} must be an object, got ${quote(config)}`];
  const outputs = config.outputs;
  const violations: string[] = [];
  if (!Number.isInteger(outputs) || outputs < 1) violations.push(`outputs must be an integer ≥ 1, got ${quote(outputs)}`);
  const inRange = (i: unknown): boolean => Number.isInteger(i) && (i as number) >= 0 && (i as number) < outputs;
  switch (config.kind) {
    case 'forward':
      if (outputs !== 1) violations.push(`a forward router has exactly 1 output, got ${quote(outputs)}`);
      break;
    case 'copy':
      break;
    case 'split':
      if (typeof config.field !== 'string') violations.push(`split.field must be a string, got ${quote(config.field)}`);
      if (!inRange(config.defaultOutput)) violations.push(`split.defaultOutput must be an output index, got ${quote(config.defaultOutput)}`);
      for (const [value, index] of Object.entries(config.routes ?? {})) {
        if (!inRange(index)) violations.push(`split.routes["${value}"] must be an output index, got ${quote(index)}`);
      }
      break;
    case 'shard':
      if (typeof config.key !== 'string') violations.push(`shard.key must be a string, got ${quote(config.key)}`);
      if (!Array.isArray(config.shards) || config.shards.length !== outputs) {
        violations.push(`shard.shards must name one shard per output (${quote(outputs)}), got ${quote(config.shards)}`);
      }
      break;
    default:
      violations.push(`kind must be one of split, shard, copy, forward, got ${quote((config as { kind?: unknown }).kind)}`);
  }
  return violations;
}

function parseOrUndefined(record: RoutedRecord): unknown {
  try {
    return JSON.parse(record.body) as unknown;
  } catch {
    // Not JSON: routed by the rules for a missing field.
    return undefined;
  }
}

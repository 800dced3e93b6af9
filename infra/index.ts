/**
 * pp-patterns: parallel-processing patterns as AWS CDK constructs.
 *
 * This file only re-exports the public constructs; helpers that are not public live in
 * `infra/private/`.
 */

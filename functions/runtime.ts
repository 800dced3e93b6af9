/**
 * pp-patterns runtime: the factories a user's Lambda handler file is written with, and the
 * batching/retry building blocks they stand on. Imported as `pp-patterns/runtime`.
 *
 * This file only re-exports.
 */

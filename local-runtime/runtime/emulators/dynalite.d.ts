/** Types for dynalite 4 (it ships none): a factory returning an unstarted HTTP server. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** dynalite's options (the ones the local runtime sets). */
  interface DynaliteOptions {
    /** Milliseconds a new table stays CREATING. */
    createTableMs?: number;
    /** Milliseconds a deleted table stays DELETING. */
    deleteTableMs?: number;
    /** Milliseconds an updated table stays UPDATING. */
    updateTableMs?: number;
    /** Largest item, in KB. */
    maxItemSizeKb?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
  }

  /** Creates a dynalite server; call `listen` on it. */
  export default function dynalite(options?: DynaliteOptions): Server;
}

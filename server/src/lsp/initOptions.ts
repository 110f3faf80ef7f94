/**
 * What the client says about the workspace at `initialize` (protocol.ts `InitializationOptions`):
 * whether the user trusts it, and which of its folders are corpora. Editors that send nothing
 * (or their settings object) get the defaults: trusted, every workspace folder.
 */
import * as path from 'node:path';
import type { InitializationOptions } from '../protocol';

export interface WorkspacePolicy {
  trusted: boolean;
  /** URIs of the corpus folders; undefined: every workspace folder. */
  corpusFolders?: string[];
  /** Where the summary cache goes (a file system path), when the client gives one. */
  cacheFolder?: string;
}

export function readInitializationOptions(raw: unknown): WorkspacePolicy {
  const o: InitializationOptions = raw !== null && typeof raw === 'object' ? (raw as InitializationOptions) : {};
  return {
    trusted: o.trusted !== false,
    corpusFolders: Array.isArray(o.corpusFolders) ? o.corpusFolders.filter((u): u is string => typeof u === 'string') : undefined,
    cacheFolder: typeof o.cacheFolder === 'string' && path.isAbsolute(o.cacheFolder) ? o.cacheFolder : undefined,
  };
}

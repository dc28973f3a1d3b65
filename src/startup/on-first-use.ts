// Packages most runs never use (certificates, version arithmetic, the terminal view, diffs, Handlebars,
// regular-expression host patterns) load when first used, not when etcdops starts: every run pays for
// what it loads before its first task, in time and memory. Their CommonJS builds load synchronously, so
// the code using them stays synchronous.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter that loads package `name` the first time it is called (Node caches it after that). */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

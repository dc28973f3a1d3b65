// Variables whose values may themselves be templates (`url: "{{ base }}/v{{ version }}"`) are rendered
// when read, as Ansible does, so a variable defined in terms of others sees the others' final values
// and a broken variable fails only when it is used.
import { UserError, type SourceLocation } from '../errors/user-error.js';
import { hasJinja } from '../playbook/jinja-source.js';
import { renderValue } from '../playbook/templating.js';

type Vars = Readonly<Record<string, unknown>>;

function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasJinja(value);
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).some(hasTemplate);
  }
  return false;
}

/** Layers of variables, lowest precedence first, read through one view that renders values on demand. */
export function lazyVars(layers: readonly Vars[], where: SourceLocation): Record<string, unknown> {
  const rendered = new Map<string, unknown>();
  const rendering = new Set<string>();
  const owner = (name: string): Vars | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) {
      if (Object.prototype.hasOwnProperty.call(layers[i], name)) return layers[i];
    }
    return undefined;
  };
  const read = (name: string): unknown => {
    if (rendered.has(name)) return rendered.get(name);
    const layer = owner(name);
    if (!layer) return undefined;
    const raw = layer[name];
    if (!hasTemplate(raw)) return raw;
    if (rendering.has(name)) {
      throw new UserError(`variable "${name}" is defined in terms of itself`, undefined, where);
    }
    rendering.add(name);
    try {
      const value = renderValue(raw, view, where);
      rendered.set(name, value);
      return value;
    } finally {
      rendering.delete(name);
    }
  };
  const view: Record<string, unknown> = new Proxy({} as Record<string, unknown>, {
    get: (_, name) => (typeof name === 'string' ? read(name) : undefined),
    has: (_, name) => typeof name === 'string' && owner(name) !== undefined,
    ownKeys: () => [...new Set(layers.flatMap((l) => Object.keys(l)))],
    getOwnPropertyDescriptor: (_, name) =>
      typeof name === 'string' && owner(name) !== undefined
        ? { value: read(name), enumerable: true, configurable: true, writable: false }
        : undefined,
  });
  return view;
}

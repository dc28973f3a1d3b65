// YAML text as PyYAML's yaml.dump writes it, for Ansible's to_yaml and to_nice_yaml: keys sorted, text that
// YAML 1.1 would read as something else quoted (`'yes'`, `'1'`), single quotes, sequences not indented under their key, and, for to_yaml,
// PyYAML's default flow style: a collection is written inline exactly when all its items are scalars.
import { Document, isCollection, isPair, Scalar, visit } from 'yaml';

/** Booleans, sexagesimal numbers and dates in PyYAML's resolver, which YAML 1.2's core schema reads as text. */
const YAML11_ONLY = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$/;

export interface PyyamlDumpOptions {
  /** Spaces per nesting level (PyYAML's default is 2). */
  readonly indent?: number;
  /** PyYAML's default_flow_style: None (inline when all items are scalars) or False (always block). */
  readonly flowStyle: 'scalars-inline' | 'block';
}

export function pyyamlDump(value: unknown, options: PyyamlDumpOptions): string {
  const document = new Document(value, { sortMapEntries: true });
  visit(document, {
    Map(_, node) {
      node.flow = options.flowStyle === 'scalars-inline' && node.items.every((pair) => !isCollection(pair.value));
    },
    Seq(_, node) {
      node.flow = options.flowStyle === 'scalars-inline' && node.items.every((item) => !isCollection(item) && !isPair(item));
    },
    Scalar(_, node) {
      // Text PyYAML's YAML 1.1 resolver would read back as another type is quoted; YAML 1.2 rules cover the rest.
      if (typeof node.value === 'string' && YAML11_ONLY.test(node.value)) node.type = Scalar.QUOTE_SINGLE;
    },
  });
  // PyYAML writes a sequence under a key without indenting it; the yaml library can only match that at indent 2.
  const indent = options.indent ?? 2;
  return document.toString({ indent, indentSeq: indent !== 2, flowCollectionPadding: false, singleQuote: true });
}

// What a fault kind finds on a host in one round trip: whether a fault of that kind is in place (its
// clear script, written by the injection) and the kind's own facts (tools, kernel mechanisms, the
// interface, the data dir's filesystem, the unit's state).
import { defineFact } from './fact.js';
import type { FaultArgs, FaultFacts } from '../faults/fault-kind.js';
import { FAULT_KINDS, type FaultKindName } from '../faults/fault-registry.js';
import { parseFaultFacts, probeScript } from '../faults/fault-script.js';

export const faultState = defineFact<FaultArgs, FaultFacts>({
  name: 'fault-state',
  needsBecome: true,
  command: (args) => probeScript(FAULT_KINDS[args.kind as FaultKindName], args).text,
  parse: (result) => parseFaultFacts(result.stdout),
});

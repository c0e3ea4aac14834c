import { Kind, type KindDefinition } from '../core/kind.js';
import { UserError } from '../core/errors.js';
import { roster } from './roster/index.js';
import { application } from './application/index.js';
import { authorization } from './authorization/index.js';
import { notice } from './notice/index.js';

/** Every document kind. A new kind is one folder under src/kinds/ and one line here. */
const definitions: KindDefinition[] = [roster, application, authorization, notice];

const kinds = new Map(definitions.map((d) => [d.name, new Kind(d)]));

// `prefill` names the kinds a kind starts from (and so the `render --from-<kind>` options): a
// declaration mistake, caught when the registry loads rather than when the CLI starts.
for (const d of definitions) for (const source of Object.keys(d.prefill ?? {})) if (!kinds.has(source)) throw new Error(`kind ${d.name}: prefill from "${source}", which is no kind`);

export function allKinds(): Kind[] {
  return [...kinds.values()];
}

export function getKind(name: string): Kind {
  const k = kinds.get(name);
  if (!k) throw new UserError(`不认识的文书类型“${name}”，可用：${[...kinds.keys()].join('、')}`);
  return k;
}

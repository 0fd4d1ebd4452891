/** `${name}` substitution (DEFINE / --define), applied to a statement's text before it is parsed. */
import { KsqlError } from '../planner/errors.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function substituteVariables(text: string, variables: ReadonlyMap<string, string>): string {
  if (!text.includes('${')) return text;
  // DEFINE's own name is not a reference: DEFINE x = '${y}' substitutes y but keeps the statement's shape.
  return text.replace(REFERENCE, (whole, name: string) => {
    const value = variables.get(name) ?? variables.get(name.toUpperCase()) ?? lookupIgnoringCase(variables, name);
    if (value === undefined) {
      throw new KsqlError(`Can't find variable: ${name}. Define it with DEFINE ${name} = '<value>'; or --define ${name}=<value>.`);
    }
    return value;
  });
}

function lookupIgnoringCase(variables: ReadonlyMap<string, string>, name: string): string | undefined {
  const upper = name.toUpperCase();
  for (const [k, v] of variables) if (k.toUpperCase() === upper) return v;
  return undefined;
}

/** From the parser's type nodes to SQL types, resolving custom types (CREATE TYPE). */
import { assertNever, type TypeNode } from '../parser/index.js';
import { decimal, array, map, struct, type SqlType, BOOLEAN, INTEGER, BIGINT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP } from '../schema/index.js';
import { KsqlError } from './errors.js';
import type { MetaStore } from './metastore.js';

const PRIMITIVES: Record<string, SqlType> = { BOOLEAN, INTEGER, BIGINT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP };

export function resolveType(node: TypeNode, metastore: MetaStore): SqlType {
  switch (node.type) {
    case 'primitiveType': {
      const t = PRIMITIVES[node.name];
      if (!t) throw new KsqlError(`Unknown type: ${node.name}`);
      return t;
    }
    case 'decimalType':
      try {
        return decimal(node.precision, node.scale);
      } catch (err) {
        throw new KsqlError((err as Error).message);
      }
    case 'arrayType':
      return array(resolveType(node.item, metastore));
    case 'mapType':
      return map(resolveType(node.key, metastore), resolveType(node.value, metastore));
    case 'structType': {
      const seen = new Set<string>();
      for (const f of node.fields) {
        if (seen.has(f.name)) throw new KsqlError('Duplicate field names found in STRUCT');
        seen.add(f.name);
      }
      return struct(node.fields.map((f) => ({ name: f.name, type: resolveType(f.fieldType, metastore) })));
    }
    case 'customType': {
      const custom = metastore.getType(node.name);
      if (!custom) throw new KsqlError(`Unknown type: ${node.name}`);
      return custom.type;
    }
    default:
      return assertNever(node);
  }
}

# SQL types as written in column lists, CAST and CREATE TYPE.
@lexer lexer

type -> ident {% d => b.namedType(d[0]) %}
  | ident "(" typeParameters ")" {% (d, _l, reject) => b.parameterizedType(d[0], d[2]) ?? reject %}
  | %ARRAY "<" type ">" {% d => ({ type: 'arrayType', item: d[2] }) %}
  | %MAP "<" type "," type ">" {% d => ({ type: 'mapType', key: d[2], value: d[4] }) %}
  | %STRUCT "<" ">" {% d => ({ type: 'structType', fields: [] }) %}
  | %STRUCT "<" structTypeFields ">" {% d => ({ type: 'structType', fields: d[2] }) %}

structTypeFields -> structTypeField {% d => [d[0]] %}
  | structTypeFields "," structTypeField {% d => [...d[0], d[2]] %}

structTypeField -> fieldName type {% d => ({ name: d[0].name, fieldType: d[1] }) %}

# DECIMAL(p, s); ksqlDB also accepts and ignores parameters on other types, e.g. VARCHAR(STRING).
typeParameters -> typeParameter {% d => [d[0]] %}
  | typeParameters "," typeParameter {% d => [...d[0], d[2]] %}

typeParameter -> integer {% first %}
  | %stringWord {% () => 'STRING' %}

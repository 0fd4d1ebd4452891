# Names: identifiers, quoted identifiers, and keywords that are not reserved.
@lexer lexer

# A name of a source, column, alias, type, property or variable.
ident -> %identifier {% d => b.name(d[0]) %}
  | %digitIdentifier {% d => b.name(d[0]) %}
  | %backquoted {% d => b.name(d[0]) %}
  | %doublequoted {% d => b.name(d[0]) %}
  | %nonReservedKeyword {% d => b.name(d[0]) %}

# A struct field name after `->`: any word, since it cannot be confused with syntax.
fieldName -> %anyWord {% d => b.name(d[0]) %}
  | %backquoted {% d => b.name(d[0]) %}
  | %doublequoted {% d => b.name(d[0]) %}

identList -> ident {% d => [d[0]] %}
  | identList "," ident {% d => [...d[0], d[2]] %}

string -> %string {% d => b.stringValue(d[0]) %}

integer -> %integer {% d => Number(d[0].value) %}

# A query id, as SHOW QUERIES prints it (CSAS_OUTPUT_0, transient_...).
queryId -> ident {% d => d[0].name %}

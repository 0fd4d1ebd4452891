# SELECT: the body of transient queries, CREATE ... AS SELECT and INSERT INTO ... SELECT.
@lexer lexer
#   SELECT items FROM relation [WINDOW w] [WHERE e] [GROUP BY ...] [PARTITION BY ...]
#   [HAVING e] [EMIT CHANGES|FINAL] [LIMIT n]

query -> %SELECT selectItems %FROM relation windowClause whereClause groupByClause partitionByClause havingClause emitClause limitClause
  {% d => b.compact({
      type: 'query', select: d[1], from: d[3], window: d[4], where: d[5], groupBy: d[6],
      partitionBy: d[7], having: d[8], emit: d[9], limit: d[10], loc: b.loc(d[0]),
    }) %}

selectItems -> selectItem {% d => [d[0]] %}
  | selectItems "," selectItem {% d => [...d[0], d[2]] %}

selectItem -> "*" {% d => ({ type: 'allColumns', loc: b.loc(d[0]) }) %}
  | ident "." "*" {% d => ({ type: 'allColumns', source: d[0].name, loc: d[0].loc }) %}
  | primary "->" "*" {% d => ({ type: 'structAll', base: d[0], loc: b.loc(d[1]) }) %}
  | expr {% d => ({ type: 'selectExpr', expr: d[0] }) %}
  | expr alias {% d => ({ type: 'selectExpr', expr: d[0], alias: d[1].name }) %}

alias -> %AS ident {% second %}
  | ident {% first %}

relation -> aliasedSource {% first %}
  | relation joinType %JOIN aliasedSource withinClause %ON expr
      {% d => b.compact({ type: 'join', joinType: d[1], left: d[0], right: d[3], within: d[4], on: d[6], loc: b.loc(d[2]) }) %}

aliasedSource -> ident {% d => b.sourceRef(d[0], undefined) %}
  | ident alias {% d => b.sourceRef(d[0], d[1]) %}

joinType -> null {% () => 'INNER' %}
  | %INNER {% () => 'INNER' %}
  | %LEFT {% () => 'LEFT' %}
  | %LEFT %OUTER {% () => 'LEFT' %}
  | %RIGHT {% () => 'RIGHT' %}
  | %RIGHT %OUTER {% () => 'RIGHT' %}
  | %FULL {% () => 'FULL' %}
  | %FULL %OUTER {% () => 'FULL' %}
  | %OUTER {% () => 'FULL' %}

withinClause -> null {% nothing %}
  | %WITHIN duration graceClause {% d => b.compact({ before: d[1], after: d[1], asymmetric: false, grace: d[2] }) %}
  | %WITHIN "(" duration "," duration ")" graceClause
      {% d => b.compact({ before: d[2], after: d[4], asymmetric: true, grace: d[6] }) %}

graceClause -> null {% nothing %}
  | %GRACE %PERIOD duration {% d => d[2] %}

duration -> %integer timeUnit {% d => b.duration(d[0], d[1]) %}

timeUnit -> (%NANOSECOND | %NANOSECONDS | %MICROSECOND | %MICROSECONDS | %MILLISECOND | %MILLISECONDS
  | %SECOND | %SECONDS | %MINUTE | %MINUTES | %HOUR | %HOURS | %DAY | %DAYS) {% d => d[0][0] %}

# ksqlDB accepts (and ignores) a window name: WINDOW w TUMBLING (...).
windowClause -> null {% nothing %}
  | %WINDOW windowSpec {% second %}
  | %WINDOW ident windowSpec {% d => d[2] %}

windowSpec -> %TUMBLING "(" %SIZE duration windowOptions ")"
      {% d => b.compact({ type: 'TUMBLING', size: d[3], ...d[4], loc: b.loc(d[0]) }) %}
  | %HOPPING "(" %SIZE duration "," %ADVANCE %BY duration windowOptions ")"
      {% d => b.compact({ type: 'HOPPING', size: d[3], advance: d[7], ...d[8], loc: b.loc(d[0]) }) %}
  | %SESSION "(" duration windowOptions ")"
      {% d => b.compact({ type: 'SESSION', gap: d[2], ...d[3], loc: b.loc(d[0]) }) %}

windowOptions -> retentionOption graceOption {% d => ({ retention: d[0], grace: d[1] }) %}

retentionOption -> null {% nothing %}
  | "," %RETENTION duration {% d => d[2] %}

graceOption -> null {% nothing %}
  | "," %GRACE %PERIOD duration {% d => d[3] %}

whereClause -> null {% nothing %}
  | %WHERE expr {% second %}

groupByClause -> null {% nothing %}
  | %GROUP %BY groupingList {% d => d[2] %}

partitionByClause -> null {% nothing %}
  | %PARTITION %BY groupingList {% d => d[2] %}

# a, b  or  (a, b)  or  ();  a lone (a) is just a parenthesized expression.
groupingList -> valueExprList {% first %}
  | "(" ")" {% () => [] %}
  | "(" valueExpr "," valueExprList ")" {% d => [d[1], ...d[3]] %}

havingClause -> null {% nothing %}
  | %HAVING expr {% second %}

emitClause -> null {% nothing %}
  | %EMIT %CHANGES {% () => 'CHANGES' %}
  | %EMIT %FINAL {% () => 'FINAL' %}

limitClause -> null {% nothing %}
  | %LIMIT integer {% second %}

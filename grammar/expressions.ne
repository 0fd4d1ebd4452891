# Expressions, loosest binding first: OR, AND, NOT, predicates (comparison,
@lexer lexer
# BETWEEN, IN, LIKE, IS), then value expressions (||, + -, * / %, unary), then
# primaries. GROUP BY and PARTITION BY take value expressions only, as in ksqlDB.

expr -> orExpr {% first %}

orExpr -> orExpr %OR andExpr {% d => ({ type: 'binary', op: 'OR', left: d[0], right: d[2], loc: b.loc(d[1]) }) %}
  | andExpr {% first %}

andExpr -> andExpr %AND notExpr {% d => ({ type: 'binary', op: 'AND', left: d[0], right: d[2], loc: b.loc(d[1]) }) %}
  | notExpr {% first %}

notExpr -> %NOT notExpr {% d => ({ type: 'unary', op: 'NOT', operand: d[1], loc: b.loc(d[0]) }) %}
  | predicate {% first %}

predicate -> valueExpr {% first %}
  | valueExpr compOp valueExpr {% d => ({ type: 'binary', op: d[1].op, left: d[0], right: d[2], loc: d[1].loc }) %}
  | valueExpr not %BETWEEN valueExpr %AND valueExpr
      {% d => ({ type: 'between', operand: d[0], low: d[3], high: d[5], not: d[1], loc: b.loc(d[2]) }) %}
  | valueExpr not %IN "(" exprList ")"
      {% d => ({ type: 'in', operand: d[0], list: d[4], not: d[1], loc: b.loc(d[2]) }) %}
  | valueExpr not %LIKE valueExpr
      {% d => ({ type: 'like', operand: d[0], pattern: d[3], not: d[1], loc: b.loc(d[2]) }) %}
  | valueExpr not %LIKE valueExpr %ESCAPE string
      {% d => ({ type: 'like', operand: d[0], pattern: d[3], escape: d[5], not: d[1], loc: b.loc(d[2]) }) %}
  | valueExpr %IS not %NULL {% d => ({ type: 'isNull', operand: d[0], not: d[2], loc: b.loc(d[1]) }) %}
  | valueExpr %IS not %DISTINCT %FROM valueExpr
      {% d => ({ type: 'binary', op: d[2] ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', left: d[0], right: d[5], loc: b.loc(d[1]) }) %}

not -> null {% () => false %}
  | %NOT {% () => true %}

compOp -> "=" {% d => ({ op: '=', loc: b.loc(d[0]) }) %}
  | %neq {% d => ({ op: '<>', loc: b.loc(d[0]) }) %}
  | "<" {% d => ({ op: '<', loc: b.loc(d[0]) }) %}
  | "<=" {% d => ({ op: '<=', loc: b.loc(d[0]) }) %}
  | ">" {% d => ({ op: '>', loc: b.loc(d[0]) }) %}
  | ">=" {% d => ({ op: '>=', loc: b.loc(d[0]) }) %}

valueExpr -> valueExpr "||" addExpr {% d => ({ type: 'binary', op: '||', left: d[0], right: d[2], loc: b.loc(d[1]) }) %}
  | addExpr {% first %}

addExpr -> addExpr addOp mulExpr {% d => ({ type: 'binary', op: d[1].value, left: d[0], right: d[2], loc: b.loc(d[1]) }) %}
  | mulExpr {% first %}

addOp -> "+" {% first %} | "-" {% first %}

mulExpr -> mulExpr mulOp unaryExpr {% d => ({ type: 'binary', op: d[1].value, left: d[0], right: d[2], loc: b.loc(d[1]) }) %}
  | unaryExpr {% first %}

mulOp -> "*" {% first %} | "/" {% first %} | "%" {% first %}

unaryExpr -> "-" unaryExpr {% d => b.negate(d[1], d[0]) %}
  | "+" unaryExpr {% d => ({ type: 'unary', op: '+', operand: d[1], loc: b.loc(d[0]) }) %}
  | primary {% first %}

primary -> literal {% first %}
  | columnRef {% first %}
  | functionCall {% first %}
  | caseExpr {% first %}
  | %CAST "(" expr %AS type ")" {% d => ({ type: 'cast', operand: d[2], target: d[4], loc: b.loc(d[0]) }) %}
  | %ARRAY "[" "]" {% d => ({ type: 'arrayCtor', items: [], loc: b.loc(d[0]) }) %}
  | %ARRAY "[" exprList "]" {% d => ({ type: 'arrayCtor', items: d[2], loc: b.loc(d[0]) }) %}
  | %MAP "(" ")" {% d => ({ type: 'mapCtor', entries: [], loc: b.loc(d[0]) }) %}
  | %MAP "(" mapEntries ")" {% d => ({ type: 'mapCtor', entries: d[2], loc: b.loc(d[0]) }) %}
  | %STRUCT "(" ")" {% d => ({ type: 'structCtor', fields: [], loc: b.loc(d[0]) }) %}
  | %STRUCT "(" structFields ")" {% d => ({ type: 'structCtor', fields: d[2], loc: b.loc(d[0]) }) %}
  | primary "[" valueExpr "]" {% d => ({ type: 'subscript', base: d[0], index: d[2], loc: b.loc(d[1]) }) %}
  | primary "->" fieldName {% d => ({ type: 'deref', base: d[0], field: d[2].name, loc: b.loc(d[1]) }) %}
  | "(" expr ")" {% second %}

literal -> %NULL {% d => ({ type: 'null', loc: b.loc(d[0]) }) %}
  | %TRUE {% d => ({ type: 'boolean', value: true, loc: b.loc(d[0]) }) %}
  | %FALSE {% d => ({ type: 'boolean', value: false, loc: b.loc(d[0]) }) %}
  | %string {% d => ({ type: 'string', value: b.stringValue(d[0]), loc: b.loc(d[0]) }) %}
  | number {% first %}

number -> %integer {% d => b.numberLiteral(d[0]) %}
  | %decimal {% d => b.numberLiteral(d[0]) %}
  | %double {% d => b.numberLiteral(d[0]) %}

# A column, or a source-qualified column S.COL. ARRAY is left out: ARRAY[1] is a constructor.
columnRef -> columnName {% d => ({ type: 'column', name: d[0].name, loc: d[0].loc }) %}
  | ident "." ident {% d => ({ type: 'column', source: d[0].name, name: d[2].name, loc: d[0].loc }) %}

columnName -> ident {% (d, _l, reject) => (d[0].name === 'ARRAY' && !d[0].quoted ? reject : d[0]) %}

# MAP( and STRUCT( are constructors, never calls.
functionName -> ident {% (d, _l, reject) => (!d[0].quoted && (d[0].name === 'MAP' || d[0].name === 'STRUCT') ? reject : d[0]) %}

functionCall -> functionName "(" ")" {% d => ({ type: 'call', name: d[0].name, args: [], loc: d[0].loc }) %}
  | functionName "(" "*" ")" {% d => ({ type: 'call', name: d[0].name, args: [], star: true, loc: d[0].loc }) %}
  | functionName "(" functionArgs ")" {% d => ({ type: 'call', name: d[0].name, args: d[2], loc: d[0].loc }) %}
  | functionName "(" %DISTINCT exprList ")" {% d => ({ type: 'call', name: d[0].name, args: d[3], distinct: true, loc: d[0].loc }) %}

functionArgs -> functionArg {% d => [d[0]] %}
  | functionArgs "," functionArg {% d => [...d[0], d[2]] %}

functionArg -> expr {% first %}
  | lambda {% first %}

lambda -> ident "=>" expr {% d => ({ type: 'lambda', params: [d[0].name], body: d[2], loc: d[0].loc }) %}
  | "(" identList ")" "=>" expr {% d => ({ type: 'lambda', params: d[1].map((n: b.Name) => n.name), body: d[4], loc: b.loc(d[0]) }) %}

caseExpr -> %CASE whenClauses elseClause %END
      {% d => b.compact({ type: 'case', whens: d[1], else: d[2], loc: b.loc(d[0]) }) %}
  | %CASE valueExpr whenClauses elseClause %END
      {% d => b.compact({ type: 'case', operand: d[1], whens: d[2], else: d[3], loc: b.loc(d[0]) }) %}

whenClauses -> whenClause {% d => [d[0]] %}
  | whenClauses whenClause {% d => [...d[0], d[1]] %}

whenClause -> %WHEN expr %THEN expr {% d => ({ when: d[1], then: d[3] }) %}

elseClause -> null {% nothing %}
  | %ELSE expr {% second %}

exprList -> expr {% d => [d[0]] %}
  | exprList "," expr {% d => [...d[0], d[2]] %}

valueExprList -> valueExpr {% d => [d[0]] %}
  | valueExprList "," valueExpr {% d => [...d[0], d[2]] %}

mapEntries -> mapEntry {% d => [d[0]] %}
  | mapEntries "," mapEntry {% d => [...d[0], d[2]] %}

mapEntry -> expr ":=" expr {% d => ({ key: d[0], value: d[2] }) %}

structFields -> structField {% d => [d[0]] %}
  | structFields "," structField {% d => [...d[0], d[2]] %}

structField -> ident ":=" expr {% d => ({ name: d[0].name, value: d[2] }) %}

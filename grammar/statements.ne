# Statements. The entry point is `statement`; statements are split on `;` before
@lexer lexer
# parsing (src/parser/split.ts), so a trailing `;` is optional here.

statement -> query {% first %}
  | createSource {% first %}
  | createAsSelect {% first %}
  | insertInto {% first %}
  | insertValues {% first %}
  | show {% first %}
  | describe {% first %}
  | explain {% first %}
  | print {% first %}
  | queryControl {% first %}
  | drop {% first %}
  | alterSource {% first %}
  | typeStatement {% first %}
  | propertyStatement {% first %}
  | variableStatement {% first %}
  | runScript {% first %}
  | assertStatement {% first %}
  | connectorStatement {% first %}

# ---------------------------------------------------------------- CREATE STREAM / TABLE

sourceKind -> %STREAM {% () => 'STREAM' %}
  | %TABLE {% () => 'TABLE' %}

orReplace -> null {% () => false %}
  | %OR %REPLACE {% () => true %}

ifNotExists -> null {% () => false %}
  | %IF %NOT %EXISTS {% () => true %}

ifExists -> null {% () => false %}
  | %IF %EXISTS {% () => true %}

isSource -> null {% () => false %}
  | %SOURCE {% () => true %}

createSource -> %CREATE orReplace isSource sourceKind ifNotExists ident tableElements withProperties
  {% d => b.compact({
      type: 'createSource', kind: d[3], orReplace: d[1], isSource: d[2], ifNotExists: d[4], name: d[5].name,
      elements: d[6], properties: d[7], loc: b.loc(d[0]),
    }) %}

createAsSelect -> %CREATE orReplace sourceKind ifNotExists ident withProperties %AS query
  {% d => ({
      type: 'createAsSelect', kind: d[2], orReplace: d[1], ifNotExists: d[3], name: d[4].name,
      properties: d[5], query: d[7], loc: b.loc(d[0]),
    }) %}

tableElements -> null {% nothing %}
  | "(" tableElementList ")" {% second %}

tableElementList -> tableElement {% d => [d[0]] %}
  | tableElementList "," tableElement {% d => [...d[0], d[2]] %}

tableElement -> ident type columnConstraint
  {% d => b.compact({ name: d[0].name, elementType: d[1], ...d[2], loc: d[0].loc }) %}

columnConstraint -> null {% () => ({}) %}
  | %KEY {% () => ({ constraint: 'KEY' }) %}
  | %PRIMARY %KEY {% () => ({ constraint: 'PRIMARY KEY' }) %}
  | %HEADERS {% () => ({ constraint: 'HEADERS' }) %}
  | %HEADER "(" string ")" {% d => ({ constraint: 'HEADER', headerKey: d[2] }) %}

withProperties -> null {% () => [] %}
  | %WITH "(" properties ")" {% d => d[2] %}

properties -> property {% d => [d[0]] %}
  | properties "," property {% d => [...d[0], d[2]] %}

property -> propertyName "=" literal {% d => b.property(d[0].name, d[2], d[0].loc) %}

propertyName -> ident {% first %}
  | %string {% d => ({ name: b.stringValue(d[0]), loc: b.loc(d[0]) }) %}

# ---------------------------------------------------------------- INSERT

insertInto -> %INSERT %INTO ident withProperties query
  {% d => ({ type: 'insertInto', target: d[2].name, properties: d[3], query: d[4], loc: d[2].loc }) %}

insertValues -> %INSERT %INTO ident columnList %VALUES "(" exprList ")"
  {% d => b.compact({ type: 'insertValues', target: d[2].name, columns: d[3], values: d[6], loc: b.loc(d[0]) }) %}

columnList -> null {% nothing %}
  | "(" identList ")" {% d => d[1].map((n: b.Name) => n.name) %}

# ---------------------------------------------------------------- SHOW / LIST / DESCRIBE / EXPLAIN

showOrList -> %SHOW {% first %} | %LIST {% first %}

extended -> null {% () => false %}
  | %EXTENDED {% () => true %}

show -> showOrList showable extended
      {% d => ({ type: 'show', what: d[1], extended: d[2], all: false, loc: b.loc(d[0]) }) %}
  | showOrList %ALL %TOPICS extended
      {% d => ({ type: 'show', what: 'TOPICS', extended: d[3], all: true, loc: b.loc(d[0]) }) %}
  | showOrList connectorType %CONNECTORS
      {% d => ({ type: 'show', what: 'CONNECTORS', extended: false, all: false, connectorType: d[1], loc: b.loc(d[0]) }) %}

showable -> %STREAMS {% () => 'STREAMS' %}
  | %TABLES {% () => 'TABLES' %}
  | %QUERIES {% () => 'QUERIES' %}
  | %TOPICS {% () => 'TOPICS' %}
  | %PROPERTIES {% () => 'PROPERTIES' %}
  | %FUNCTIONS {% () => 'FUNCTIONS' %}
  | %TYPES {% () => 'TYPES' %}
  | %VARIABLES {% () => 'VARIABLES' %}
  | %CONNECTORS {% () => 'CONNECTORS' %}

connectorType -> %SOURCE {% () => 'SOURCE' %}
  | %SINK {% () => 'SINK' %}

# ksqlDB writes EXTENDED after the name (DESCRIBE orders EXTENDED); before it, as releases
# up to 0.14 did, is accepted too.
describe -> %DESCRIBE extended describedSource extended
      {% d => ({ type: 'describeSource', name: d[2].name, extended: d[1] || d[3], loc: b.loc(d[0]) }) %}
  | %DESCRIBE %STREAMS extended {% d => ({ type: 'describeSources', kind: 'STREAMS', extended: d[2], loc: b.loc(d[0]) }) %}
  | %DESCRIBE %TABLES extended {% d => ({ type: 'describeSources', kind: 'TABLES', extended: d[2], loc: b.loc(d[0]) }) %}
  | %DESCRIBE %FUNCTION ident {% d => ({ type: 'describeFunction', name: d[2].name, loc: b.loc(d[0]) }) %}
  | %DESCRIBE %CONNECTOR ident {% d => ({ type: 'describeConnector', name: d[2].name, loc: b.loc(d[0]) }) %}

# DESCRIBE STREAMS / TABLES / EXTENDED mean the listing, not a source of that name.
describedSource -> ident {% (d, _l, reject) => (!d[0].quoted && ['STREAMS', 'TABLES', 'EXTENDED', 'FUNCTION', 'CONNECTOR'].includes(d[0].name) ? reject : d[0]) %}

explain -> %EXPLAIN statement {% d => ({ type: 'explain', statement: d[1], loc: b.loc(d[0]) }) %}
  | %EXPLAIN queryId {% d => ({ type: 'explain', queryId: d[1], loc: b.loc(d[0]) }) %}

# ---------------------------------------------------------------- PRINT

print -> %PRINT topicName fromBeginning printInterval printLimit
  {% d => b.compact({ type: 'print', topic: d[1], fromBeginning: d[2], interval: d[3], limit: d[4], loc: b.loc(d[0]) }) %}

topicName -> ident {% d => d[0].quoted ? d[0].name : d[0].name %}
  | %string {% d => b.stringValue(d[0]) %}

fromBeginning -> null {% () => false %}
  | %FROM %BEGINNING {% () => true %}

printInterval -> null {% nothing %}
  | %INTERVAL integer {% second %}
  | %SAMPLE integer {% second %}

printLimit -> null {% nothing %}
  | %LIMIT integer {% second %}

# ---------------------------------------------------------------- TERMINATE / PAUSE / RESUME

queryControl -> %TERMINATE queryId {% d => ({ type: 'terminate', queryId: d[1], all: false, loc: b.loc(d[0]) }) %}
  | %TERMINATE %ALL {% d => ({ type: 'terminate', all: true, loc: b.loc(d[0]) }) %}
  | %PAUSE queryId {% d => ({ type: 'pauseQuery', queryId: d[1], all: false, loc: b.loc(d[0]) }) %}
  | %PAUSE %ALL {% d => ({ type: 'pauseQuery', all: true, loc: b.loc(d[0]) }) %}
  | %RESUME queryId {% d => ({ type: 'resumeQuery', queryId: d[1], all: false, loc: b.loc(d[0]) }) %}
  | %RESUME %ALL {% d => ({ type: 'resumeQuery', all: true, loc: b.loc(d[0]) }) %}

# ---------------------------------------------------------------- DROP / ALTER

drop -> %DROP sourceKind ifExists ident deleteTopic
      {% d => ({ type: 'dropSource', kind: d[1], ifExists: d[2], name: d[3].name, deleteTopic: d[4], loc: b.loc(d[0]) }) %}
  | %DROP %TYPE ifExists ident {% d => ({ type: 'dropType', name: d[3].name, ifExists: d[2], loc: b.loc(d[0]) }) %}
  | %DROP %CONNECTOR ifExists ident {% d => ({ type: 'dropConnector', name: d[3].name, ifExists: d[2], loc: b.loc(d[0]) }) %}

deleteTopic -> null {% () => false %}
  | %DELETE %TOPIC {% () => true %}

alterSource -> %ALTER sourceKind ident alterOptions
  {% d => ({ type: 'alterSource', kind: d[1], name: d[2].name, columns: d[3], loc: b.loc(d[0]) }) %}

alterOptions -> alterOption {% d => [d[0]] %}
  | alterOptions "," alterOption {% d => [...d[0], d[2]] %}

alterOption -> %ADD %COLUMN ident type {% d => ({ name: d[2].name, columnType: d[3] }) %}
  | %ADD ident type {% (d, _l, reject) => (d[1].name === 'COLUMN' && !d[1].quoted ? reject : { name: d[1].name, columnType: d[2] }) %}

# ---------------------------------------------------------------- TYPES, PROPERTIES, VARIABLES, SCRIPTS

typeStatement -> %CREATE %TYPE ifNotExists ident %AS type
  {% d => ({ type: 'createType', name: d[3].name, definition: d[5], ifNotExists: d[2], loc: b.loc(d[0]) }) %}

propertyStatement -> %SET string "=" string {% d => ({ type: 'setProperty', name: d[1], value: d[3], loc: b.loc(d[0]) }) %}
  | %UNSET string {% d => ({ type: 'unsetProperty', name: d[1], loc: b.loc(d[0]) }) %}

variableStatement -> %DEFINE ident "=" string {% d => ({ type: 'defineVariable', name: d[1].name, value: d[3], loc: b.loc(d[0]) }) %}
  | %UNDEFINE ident {% d => ({ type: 'undefineVariable', name: d[1].name, loc: b.loc(d[0]) }) %}

runScript -> %RUN %SCRIPT string {% d => ({ type: 'runScript', path: d[2], loc: b.loc(d[0]) }) %}

# ---------------------------------------------------------------- ASSERT

assertStatement -> %ASSERT assertNotExists %TOPIC topicName withProperties assertTimeout
      {% d => b.compact({ type: 'assertTopic', not: d[1], topic: d[3], properties: d[4], timeout: d[5], loc: b.loc(d[0]) }) %}
  | %ASSERT assertNotExists %SCHEMA assertSubject assertId assertTimeout
      {% d => b.compact({ type: 'assertSchema', not: d[1], subject: d[3], id: d[4], timeout: d[5], loc: b.loc(d[0]) }) %}
  | %ASSERT sourceKind ident tableElements withProperties
      {% d => b.compact({ type: 'assertSource', kind: d[1], name: d[2].name, elements: d[3], properties: d[4], loc: b.loc(d[0]) }) %}
  | %ASSERT %VALUES ident columnList %VALUES "(" exprList ")"
      {% d => b.compact({ type: 'assertValues', isNull: false, target: d[2].name, columns: d[3], values: d[6], loc: b.loc(d[0]) }) %}
  | %ASSERT %NULL %VALUES ident columnList %KEY "(" exprList ")"
      {% d => b.compact({ type: 'assertValues', isNull: true, target: d[3].name, columns: d[4], values: d[7], loc: b.loc(d[0]) }) %}

assertNotExists -> null {% () => false %}
  | %NOT %EXISTS {% () => true %}

assertSubject -> null {% nothing %}
  | %SUBJECT string {% second %}

assertId -> null {% nothing %}
  | %ID integer {% second %}

assertTimeout -> null {% nothing %}
  | %TIMEOUT duration {% second %}

# ---------------------------------------------------------------- CONNECTORS

connectorStatement -> %CREATE connectorType %CONNECTOR ifNotExists ident %WITH "(" properties ")"
      {% d => ({ type: 'createConnector', connectorType: d[1], ifNotExists: d[3], name: d[4].name, properties: d[7], loc: b.loc(d[0]) }) %}

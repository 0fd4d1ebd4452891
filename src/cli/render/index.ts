/**
 * Renders statement results as ksqlDB's CLI prints them (tabular) or as
 * ksqlDB's REST entities (JSON). One renderer per result kind, each in its file.
 */
import type { StatementResult } from '../../engine/index.js';
import { propertyChangeJson, renderPropertyChange, renderVariableChange, variableChangeJson } from './changes.js';
import { renderSourceDescription, renderSourceDescriptions, sourceDescriptionJson } from './describe.js';
import { errorJson, type RenderableError } from './error.js';
import { functionDescriptionJson, functionListJson, renderFunctionDescription, renderFunctionList } from './functions.js';
import { messageJson, renderMessage } from './message.js';
import { propertiesJson, renderProperties } from './properties.js';
import { queryDescriptionJson, queryDescriptionsJson, queryListJson, renderQueryDescription, renderQueryDescriptions, renderQueryList } from './queries.js';
import { renderSourceList, sourceListJson } from './sources.js';
import { renderTopics, topicsJson } from './topics.js';
import { renderTypes, typesJson } from './types.js';
import { renderVariables, variablesJson } from './variables.js';

export { renderError, type RenderableError } from './error.js';
export { renderPropertyChange, renderVariableChange } from './changes.js';
export { renderSourceDescription, renderSourceDescriptions } from './describe.js';
export { renderFunctionDescription, renderFunctionList } from './functions.js';
export { renderMessage } from './message.js';
export { renderProperties } from './properties.js';
export { renderQueryDescription, renderQueryDescriptions, renderQueryList } from './queries.js';
export { renderSourceList } from './sources.js';
export { renderTopics } from './topics.js';
export { renderTypes } from './types.js';
export { renderVariables } from './variables.js';

export interface TabularOptions {
  /** Terminal width; ksqlDB cuts table rules to it and wraps function descriptions (at least 80). */
  readonly width?: number | undefined;
}

/** Every result but a transient query's rows, which stream (see rows.ts). */
export type StaticResult = Exclude<StatementResult, { type: 'rows' } | { type: 'print' }>;

/**
 * What ksqlDB's CLI prints for one result, every line newline-terminated.
 * Like ksqlDB, a result from the server (every kind but SET/UNSET/DEFINE/UNDEFINE)
 * starts with a blank line; a result that prints nothing is "".
 */
export function renderTabular(result: StaticResult, opts: TabularOptions = {}): string {
  switch (result.type) {
    case 'propertyChanged':
      return renderPropertyChange(result);
    case 'variableChanged':
      return renderVariableChange(result);
    case 'message':
      // INSERT ... VALUES answers with nothing to print.
      if (result.message === '') return '';
      return entity(renderMessage(result.message, opts)) + (result.warnings ?? []).map((w) => `WARNING: ${w}\n`).join('');
    case 'sources':
      return entity(renderSourceList(result.kind, result.sources, opts));
    case 'sourceDescription':
      return entity(renderSourceDescription(result.description, result.extended, opts));
    case 'sourceDescriptions':
      return entity(renderSourceDescriptions(result.descriptions, result.extended, opts));
    case 'queries':
      return entity(result.extended ? renderQueryDescriptions(result.queries) : renderQueryList(result.queries, opts));
    case 'queryDescription':
      return entity(renderQueryDescription(result.description, opts));
    case 'properties':
      return entity(renderProperties(result.properties, opts));
    case 'topics':
      return entity(renderTopics(result.topics, result.extended, opts));
    case 'types':
      return entity(renderTypes(result.types, opts));
    case 'variables':
      return entity(renderVariables(result.variables, opts));
    case 'functions':
      return entity(renderFunctionList(result.functions, opts));
    case 'functionDescription':
      return entity(renderFunctionDescription(result.description, opts));
    default:
      return unreachable(result);
  }
}

/** ksqlDB's CLI prints a blank line before each entity the server returns. */
function entity(text: string): string {
  return `\n${text}`;
}

export interface JsonOptions {
  /** The statement's text, carried as ksqlDB's entities carry it. */
  readonly statementText?: string | undefined;
}

/**
 * One result as ksqlDB's REST API shapes it (`{"@type": "streams", ...}`),
 * pretty-printed. Keys are always present (null when unknown), so the shape is stable.
 */
export function renderJson(result: StaticResult, opts: JsonOptions = {}): string {
  const entity = jsonEntity(result);
  const withText = opts.statementText === undefined ? entity : { ...entity, statementText: opts.statementText };
  return JSON.stringify({ ...withText, warnings: [] }, null, 2);
}

/** A failed statement as ksqlDB's `statement_error` body. */
export function renderErrorJson(e: RenderableError): string {
  return JSON.stringify(errorJson(e), null, 2);
}

function jsonEntity(result: StaticResult): Record<string, unknown> {
  switch (result.type) {
    case 'message':
      return messageJson(result.message, result.queryId);
    case 'propertyChanged':
      return propertyChangeJson(result);
    case 'variableChanged':
      return variableChangeJson(result);
    case 'sources':
      return sourceListJson(result.kind, result.sources);
    case 'sourceDescription':
      return { '@type': 'sourceDescription', sourceDescription: sourceDescriptionJson(result.description, result.extended) };
    case 'sourceDescriptions':
      return {
        '@type': 'source_descriptions',
        sourceDescriptions: result.descriptions.map((d) => sourceDescriptionJson(d, result.extended)),
      };
    case 'queries':
      return result.extended ? queryDescriptionsJson(result.queries) : queryListJson(result.queries);
    case 'queryDescription':
      return queryDescriptionJson(result.description);
    case 'properties':
      return propertiesJson(result.properties);
    case 'topics':
      return topicsJson(result.topics, result.extended);
    case 'types':
      return typesJson(result.types);
    case 'variables':
      return variablesJson(result.variables);
    case 'functions':
      return functionListJson(result.functions);
    case 'functionDescription':
      return functionDescriptionJson(result.description);
    default:
      return unreachable(result);
  }
}

function unreachable(result: never): never {
  throw new Error(`Unknown statement result: ${JSON.stringify(result)}`);
}

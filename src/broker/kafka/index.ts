/**
 * The Kafka adapter of the Broker port: a real cluster through kafkajs's
 * connection and protocol layers. See broker.ts for the design.
 */

export { createKafkaBroker, type KafkaBrokerOptions } from './broker.js';
export type { LogLevel } from './client.js';
export type { ConsumerTuning } from './consumer.js';

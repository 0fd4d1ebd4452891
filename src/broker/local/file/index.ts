/** The embedded file log: the durable Broker behind ksqlite by default. See README.md. */
export { createFileBroker, type FileBroker, type FileBrokerOptions } from './broker.js';

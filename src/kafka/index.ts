/**
 * What the rest of pix takes from the Kafka layer. Commands and domain code import from here, not
 * from the modules behind it, so the client library underneath can change without them.
 */
export { brokersListedBy } from './probe.js';

/** The Apache Kafka release the local broker runs; 4.x speaks the protocol versions kafkajs uses. */
export const KAFKA_VERSION = '4.1.2';
export const SCALA_VERSION = '2.13';
/** Kafka logs through SLF4J; this binding sends it to log4j2, which Kafka 4 configures itself. */
export const LOG4J_VERSION = '2.25.3';
export const SLF4J_VERSION = '2.0.17';

/** The job schema shared by the gateway and the workers: the Kafka message and the events workers report. */
package dev.vegart.common.job;

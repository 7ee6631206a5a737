package dev.languageranker.dashboard;

/** Where one partition of a topic starts and ends. */
public record PartitionOffsets(String topic, int partition, long earliest, long latest) {}

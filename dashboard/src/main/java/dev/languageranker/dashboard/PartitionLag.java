package dev.languageranker.dashboard;

/**
 * A group's lag on one partition at one moment.
 *
 * @param committed the group's committed offset ({@code -1} when it has none yet and lag counts from the earliest)
 * @param lagSeconds age of the record at the committed offset, 0 when caught up
 * @param exactSeconds true when {@code lagSeconds} is that record's own timestamp; false when it is interpolated
 *     from the end offsets seen over time (the record could not be read)
 * @param memberHost host of the member that owns the partition, empty when none
 */
public record PartitionLag(String topic, int partition, long committed, long end, long earliest, long lag,
    double lagSeconds, boolean exactSeconds, String memberHost, String consumerId, String clientId) {}

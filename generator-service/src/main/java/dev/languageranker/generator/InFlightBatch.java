package dev.languageranker.generator;

import dev.languageranker.events.Candidate;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One forward batch between planning and its transaction: consecutive queued records (prompts and rejections),
 * the generation running for its prompts, and the partitions whose records must no longer be committed (revoked,
 * or rewound after an aborted transaction).
 */
final class InFlightBatch {
  private final List<QueuedRecord> items;
  private final Future<List<List<Candidate>>> result;
  private final Set<TopicPartition> invalidated = new HashSet<>();

  InFlightBatch(List<QueuedRecord> items, Future<List<List<Candidate>>> result) {
    this.items = List.copyOf(items);
    this.result = result;
  }

  List<QueuedRecord> items() {
    return items;
  }

  Future<List<List<Candidate>>> result() {
    return result;
  }

  List<PreparedPrompt> prompts() {
    return items.stream().filter(i -> !i.isRejected()).map(QueuedRecord::prompt).toList();
  }

  void invalidate(Collection<TopicPartition> partitions) {
    invalidated.addAll(partitions);
  }

  boolean isValid(QueuedRecord item) {
    return !invalidated.contains(item.partition());
  }

  /** Offsets to commit with this batch: past its last record in each partition it still owns. */
  Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (QueuedRecord item : items) {
      if (isValid(item)) {
        offsets.merge(item.partition(), new OffsetAndMetadata(item.record().offset() + 1),
            (a, b) -> a.offset() >= b.offset() ? a : b);
      }
    }
    return offsets;
  }

  /** The first offset of each partition in this batch: where to seek to read its records again. */
  Map<TopicPartition, Long> firstOffsets() {
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    for (QueuedRecord item : items) {
      first.merge(item.partition(), item.record().offset(), Math::min);
    }
    return first;
  }
}

package dev.languageranker.ranking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ranker versions an instance serves: per rankerId the active version and the two before it. A new head is
 * swapped in atomically (one map update), so a stream thread sees either the old or the new version, never a
 * mix; versions that fall off the end are closed.
 */
public final class RankerRegistry implements AutoCloseable {
  /** Versions kept per rankerId besides the active one. */
  static final int PREVIOUS_KEPT = 2;

  /** The versions of one rankerId, newest head first; immutable. */
  public record Versions(LoadedRanker active, List<LoadedRanker> previous) {
    Optional<LoadedRanker> find(long version) {
      if (active.version() == version) {
        return Optional.of(active);
      }
      return previous.stream().filter(r -> r.version() == version).findFirst();
    }
  }

  private final Map<String, Versions> byRankerId = new ConcurrentHashMap<>();

  /** Makes {@code ranker} the head of its rankerId; the old head becomes the newest previous version. */
  public void install(LoadedRanker ranker) {
    List<LoadedRanker> evicted = new ArrayList<>();
    byRankerId.compute(ranker.rankerId(), (id, old) -> {
      if (old == null) {
        return new Versions(ranker, List.of());
      }
      List<LoadedRanker> previous = new ArrayList<>();
      previous.add(old.active());
      previous.addAll(old.previous());
      previous.removeIf(r -> r.version() == ranker.version() && r != ranker && evicted.add(r));
      while (previous.size() > PREVIOUS_KEPT) {
        evicted.add(previous.remove(previous.size() - 1));
      }
      return new Versions(ranker, List.copyOf(previous));
    });
    evicted.forEach(LoadedRanker::close);
  }

  /**
   * Makes an already loaded version the head again (a rollback); false when it is not among the kept versions.
   */
  public boolean reactivate(String rankerId, long version) {
    boolean[] found = {false};
    byRankerId.computeIfPresent(rankerId, (id, old) -> {
      Optional<LoadedRanker> target = old.find(version);
      if (target.isEmpty() || old.active() == target.get()) {
        found[0] = target.isPresent();
        return old;
      }
      found[0] = true;
      List<LoadedRanker> previous = new ArrayList<>();
      previous.add(old.active());
      old.previous().stream().filter(r -> r != target.get()).forEach(previous::add);
      return new Versions(target.get(), List.copyOf(previous));
    });
    return found[0];
  }

  /** Stops serving {@code rankerId} (a tombstone on lr.ranker-models); its requests fall back. */
  public void retire(String rankerId) {
    Versions old = byRankerId.remove(rankerId);
    if (old != null) {
      old.active().close();
      old.previous().forEach(LoadedRanker::close);
    }
  }

  public Optional<LoadedRanker> active(String rankerId) {
    Versions v = byRankerId.get(rankerId);
    return v == null ? Optional.empty() : Optional.of(v.active());
  }

  /** A pinned version, if it is the active one or one of the kept previous ones. */
  public Optional<LoadedRanker> version(String rankerId, long version) {
    Versions v = byRankerId.get(rankerId);
    return v == null ? Optional.empty() : v.find(version);
  }

  /** Every rankerId with its versions, sorted by id. */
  public Map<String, Versions> snapshot() {
    return new TreeMap<>(byRankerId);
  }

  @Override
  public void close() {
    byRankerId.values().forEach(v -> {
      v.active().close();
      v.previous().forEach(LoadedRanker::close);
    });
    byRankerId.clear();
  }
}

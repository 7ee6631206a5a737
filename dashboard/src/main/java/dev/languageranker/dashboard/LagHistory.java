package dev.languageranker.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag and throughput history the charts draw, kept in the process so the dashboard needs no Prometheus, and
 * appended as JSON lines to a file when one is given, so a restarted {@code local} stack shows what came before.
 */
public final class LagHistory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LagHistory.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One round: per edge ({@code group|topic}) its lag in records and seconds, and per topic its produce rate.
   */
  public record Point(long t, Map<String, double[]> edges, Map<String, Double> rates) {}

  private final Deque<Point> points = new ArrayDeque<>();
  private final long retentionMillis;
  private final BufferedWriter writer;

  /** @param file where to keep the history across restarts, or null for memory only */
  public LagHistory(long retentionMillis, Path file, long nowMillis) {
    this.retentionMillis = retentionMillis;
    BufferedWriter w = null;
    if (file != null) {
      load(file, nowMillis);
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        rewrite(file);
        w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        log.warn("dashboard history not kept in {}: {}", file, e.getMessage());
      }
    }
    this.writer = w;
  }

  private void load(Path file, long nowMillis) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          Point p = JSON.readValue(line, Point.class);
          if (p.t() >= nowMillis - retentionMillis) {
            points.addLast(p);
          }
        } catch (IOException e) {
          // A line cut short by a crash: skip it.
        }
      }
    } catch (IOException e) {
      log.warn("cannot read dashboard history {}: {}", file, e.getMessage());
    }
  }

  /** Keeps only the retained points in the file, so it does not grow without bound across restarts. */
  private void rewrite(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Point p : points) {
      lines.add(JSON.writeValueAsString(p));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** Adds the round's point. */
  public synchronized void add(LagSnapshot snapshot) {
    Map<String, double[]> edges = new TreeMap<>();
    for (GroupLag group : snapshot.groups()) {
      for (TopicLag topic : group.topics()) {
        edges.put(group.group() + "|" + topic.topic(),
            new double[]{topic.sumLag(), round(topic.maxLagSeconds()), topic.status().ordinal()});
      }
    }
    Map<String, Double> rates = new TreeMap<>();
    snapshot.topicProduceRates().forEach((topic, rate) -> rates.put(topic, round(rate)));
    Point point = new Point(snapshot.atMillis(), edges, rates);
    points.addLast(point);
    while (!points.isEmpty() && points.peekFirst().t() < snapshot.atMillis() - retentionMillis) {
      points.removeFirst();
    }
    if (writer != null) {
      try {
        writer.write(JSON.writeValueAsString(point));
        writer.newLine();
        writer.flush();
      } catch (IOException e) {
        log.warn("cannot append to the dashboard history: {}", e.getMessage());
      }
    }
  }

  public synchronized List<Point> points() {
    return List.copyOf(points);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  @Override
  public synchronized void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // nothing left to save
      }
    }
  }
}

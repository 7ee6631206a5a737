package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.ConfigOptions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.dashboard.GroupLag;
import dev.languageranker.dashboard.LagMonitor;
import dev.languageranker.dashboard.LagSnapshot;
import dev.languageranker.dashboard.PartitionLag;
import dev.languageranker.dashboard.TopicLag;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.KafkaOperationException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints every consumer group's lag per topic and partition, in records and seconds, with a status. */
@Command(name = "lag", mixinStandardHelpOptions = true,
    description = {"Consumer-group lag per topic and partition, in records and in seconds (the age of the record at",
        "the committed offset), with a status per group (OK, WARN, STALL, STOP) evaluated over --samples rounds",
        "--interval apart, as the dashboard does over its window."})
final class LagCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Mixin ClientOptions clientOptions;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per group and topic.") boolean json;
  @Option(names = "--samples", defaultValue = "3",
      description = "Rounds to sample (default: ${DEFAULT-VALUE}).") int samples;
  @Option(names = "--interval", defaultValue = "2s", converter = DurationConverter.class,
      description = "Time between rounds (default: ${DEFAULT-VALUE}).") Duration interval;

  @Override
  public Integer call() throws InterruptedException {
    if (samples < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be at least 1");
    }
    LrConfig config = clientOptions.apply(configOptions.load());
    try (PipelineClient reachable = new PipelineClient(config, clientOptions.timeout);
        LagMonitor monitor = LagMonitor.open(config, interval.multipliedBy(Math.max(1, samples - 1)),
            clientOptions.timeout)) {
      LagSnapshot snapshot = null;
      for (int i = 0; i < samples; i++) {
        if (i > 0) {
          Thread.sleep(interval.toMillis());
        }
        snapshot = monitor.poll();
      }
      print(snapshot, spec.commandLine().getOut());
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaOperationException("cannot read consumer groups: " + e.getMessage(), e);
    }
  }

  private static String catchUp(double seconds) {
    return seconds == TopicLag.FALLING_BEHIND ? "falling behind" : seconds == TopicLag.KEEPING_UP ? "keeping up"
        : seconds == 0 ? "caught up" : String.format(Locale.ROOT, "%.0f s", seconds);
  }

  private void print(LagSnapshot snapshot, PrintWriter out) {
    if (snapshot.groups().isEmpty() && !json) {
      out.println("no consumer groups");
    }
    for (GroupLag group : snapshot.groups()) {
      for (TopicLag topic : group.topics()) {
        if (json) {
          ObjectNode node = PromptInput.JSON.createObjectNode().put("group", group.group())
              .put("state", group.state()).put("members", group.members()).put("topic", topic.topic())
              .put("lag", topic.sumLag()).put("lagSeconds", topic.maxLagSeconds())
              .put("exactSeconds", topic.exactSeconds()).put("consumeRate", topic.consumeRate())
              .put("produceRate", topic.produceRate()).put("catchUp", catchUp(topic.catchUpSeconds()))
              .put("status", topic.status().name())
              .put("groupStatus", group.status().name());
          ArrayNode partitions = node.putArray("partitions");
          for (PartitionLag p : topic.partitions()) {
            partitions.addObject().put("partition", p.partition()).put("committed", p.committed())
                .put("end", p.end()).put("lag", p.lag()).put("lagSeconds", p.lagSeconds())
                .put("exactSeconds", p.exactSeconds()).put("clientId", p.clientId());
          }
          out.println(node);
        } else {
          out.printf(Locale.ROOT, "%-16s %-22s %-8s members=%d lag=%d records %s%.1f s, catch-up %s, status %s "
              + "(group %s)%n", group.group(), topic.topic(), group.state(), group.members(), topic.sumLag(),
              topic.exactSeconds() ? "" : "~", topic.maxLagSeconds(), catchUp(topic.catchUpSeconds()),
              topic.status(), group.status());
          for (PartitionLag p : topic.partitions()) {
            out.printf(Locale.ROOT, "    partition %-3d committed %-8d end %-8d lag %-6d %s%.1f s %s%n",
                p.partition(), p.committed(), p.end(), p.lag(), p.exactSeconds() ? "" : "~", p.lagSeconds(),
                p.clientId());
          }
        }
      }
    }
    out.flush();
  }
}

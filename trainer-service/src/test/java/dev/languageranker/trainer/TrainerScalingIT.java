package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.TrainingRun;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two trainer instances in one consumer group: each rankerId is trained by the instance that owns its partition and
 * by no other, no two runs of one rankerId ever overlap, and when one instance stops the other takes its rankers over.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TrainerScalingIT {
  private static final int DIM = 32;
  private static final int REQUESTS = 40;

  @Test
  void eachRankerHasOneTrainerAndTheSurvivorTakesOverTheRankersOfAnInstanceThatStops(KafkaBroker broker)
      throws Exception {
    Map<String, String> small = Map.of("trainer.retrain.min-new-requests", String.valueOf(REQUESTS), "trainer.epochs",
        "2");
    LrConfig configA = TrainerServiceIT.trainerConfig(broker, Files.createTempDirectory("trainer-a")).with(small);
    LrConfig configB = TrainerServiceIT.trainerConfig(broker, Files.createTempDirectory("trainer-b")).with(small);
    EventSerdes serdes = new EventSerdes(configA);
    String prefix = "scale-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    try (ServiceMetrics metricsA = new ServiceMetrics("trainer");
        ServiceMetrics metricsB = new ServiceMetrics("trainer")) {
      TrainerService a = TrainerService.start(configA, metricsA);
      TrainerService b = TrainerService.start(configB, metricsB);
      TrainerService survivor = null;
      try {
        // Two rankers on partitions of each member of the group, so both instances have work.
        List<Set<Integer>> owned = awaitTwoOwners(configA);
        int partitions = owned.stream().mapToInt(Set::size).sum();
        List<Set<String>> rankersOf = List.of(new HashSet<>(), new HashSet<>());
        for (int i = 0; rankersOf.get(0).size() < 2 || rankersOf.get(1).size() < 2; i++) {
          String id = prefix + i;
          int member = owned.get(0).contains(TrainerLoop.partitionOf(id, partitions)) ? 0 : 1;
          if (rankersOf.get(member).size() < 2) {
            rankersOf.get(member).add(id);
          }
        }
        Set<String> all = new HashSet<>(rankersOf.get(0));
        all.addAll(rankersOf.get(1));
        int seed = 100;
        for (String id : all) {
          TrainerServiceIT.produce(configA, serdes,
              SyntheticTrainingExamples.of(id, SyntheticFeatures.of(REQUESTS, 10, DIM, seed++), false));
        }
        for (String id : all) {
          TrainerServiceIT.runs(configA, serdes, id, 1);
        }
        Set<String> ranByA = rankersWithRuns(metricsA, all);
        Set<String> ranByB = rankersWithRuns(metricsB, all);
        assertTrue(ranByA.equals(rankersOf.get(0)) || ranByA.equals(rankersOf.get(1)),
            "instance A trained exactly the rankers of one member's partitions: " + ranByA + " vs " + rankersOf);
        assertEquals(all.stream().filter(id -> !ranByA.contains(id)).collect(Collectors.toSet()), ranByB,
            "instance B trained the others, and none of A's");

        // A stops: B takes over A's partitions, rebuilds their sets from the topic and trains them.
        a.close();
        a = null;
        survivor = b;
        b = null;
        for (String id : all) {
          TrainerServiceIT.produce(configB, serdes,
              SyntheticTrainingExamples.of(id, SyntheticFeatures.of(REQUESTS, 10, DIM, seed++), false));
        }
        Map<String, List<TrainingRun>> runs = new java.util.HashMap<>();
        for (String id : ranByB) {
          runs.put(id, TrainerServiceIT.runs(configB, serdes, id, 2));
        }
        for (String id : ranByA) {
          runs.put(id, takenOverRuns(configB, serdes, id));
        }
        assertEquals(all, rankersWithRuns(metricsB, all), "the survivor now trains every ranker, A's included");
        for (String id : ranByA) {
          assertEquals(1, runCount(metricsA, id), "A ran " + id + " once, before it stopped");
          assertEquals(runs.get(id).size() - 1, runCount(metricsB, id), "every later run of " + id + " is B's");
        }
        for (String id : all) {
          List<TrainingRun> ordered = new ArrayList<>(runs.get(id));
          ordered.sort(Comparator.comparing(TrainingRun::getStartedAt));
          for (int r = 1; r < ordered.size(); r++) {
            assertTrue(!ordered.get(r).getStartedAt().isBefore(ordered.get(r - 1).getFinishedAt()),
                "runs of " + id + " never overlap: " + ordered.get(r - 1).getStartedAt() + "-"
                    + ordered.get(r - 1).getFinishedAt() + " and " + ordered.get(r).getStartedAt());
          }
        }
      } finally {
        for (TrainerService t : new TrainerService[]{a, b, survivor}) {
          if (t != null) {
            t.close();
          }
        }
      }
    }
  }

  /**
   * The runs of a ranker B took over: A's one, then B's until one trains on the rebuilt set with the new examples too
   * (more than A's {@code REQUESTS}). B may first retrain on the rebuilt set alone, when it finishes reading A's
   * partition before the new examples arrive: a takeover counts everything it rebuilds as new (trainer README, "Not
   * done yet"), so B runs the ranker once or twice, depending on timing.
   */
  private static List<TrainingRun> takenOverRuns(LrConfig config, EventSerdes serdes, String rankerId) {
    List<TrainingRun> runs = TrainerServiceIT.atLeastRuns(config, serdes, rankerId, 2);
    if (newest(runs).getWindowRequests() <= REQUESTS) {
      runs = TrainerServiceIT.atLeastRuns(config, serdes, rankerId, 3);
    }
    assertTrue(runs.size() <= 3, "runs of " + rankerId + ": " + runs.size());
    assertTrue(newest(runs).getWindowRequests() > REQUESTS,
        "B rebuilt " + rankerId + "'s set from the topic, A's examples included: " + newest(runs).getWindowRequests());
    return runs;
  }

  private static TrainingRun newest(List<TrainingRun> runs) {
    return runs.stream().max(Comparator.comparing(TrainingRun::getStartedAt)).orElseThrow();
  }

  /** The partitions of lr.training-examples-by-ranker held by each of the group's two members, once it is stable. */
  private static List<Set<Integer>> awaitTwoOwners(LrConfig config) throws Exception {
    String topic = Topics.TRAINING_EXAMPLES_BY_RANKER.name();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(TrainerService.GROUP_ID)).all().get()
            .get(TrainerService.GROUP_ID);
        List<Set<Integer>> owned = new ArrayList<>();
        for (MemberDescription member : group.members()) {
          owned.add(member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
              .map(tp -> tp.partition()).collect(Collectors.toSet()));
        }
        if (owned.size() == 2 && owned.stream().noneMatch(Set::isEmpty)) {
          return owned;
        }
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the trainer group never had two members with partitions");
  }

  private static Set<String> rankersWithRuns(ServiceMetrics metrics, Set<String> rankers) {
    return rankers.stream().filter(id -> runCount(metrics, id) > 0).collect(Collectors.toSet());
  }

  /** Runs of {@code rankerId} counted by one instance's {@code lr_trainer_runs_total}, over every decision. */
  private static int runCount(ServiceMetrics metrics, String rankerId) {
    double total = 0;
    for (String line : metrics.scrape().split("\n")) {
      if (line.startsWith("lr_trainer_runs_total{") && line.contains("ranker_id=\"" + rankerId + "\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (int) total;
  }
}

package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.platform.config.LrConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints answers from lr.answers as JSON lines. */
@Command(name = "answers", mixinStandardHelpOptions = true,
    description = {"Prints ranked answers from lr.answers (read_committed) as JSON lines. --from-beginning reads",
        "what is on the topic and stops at its end unless --follow; without it, new answers are printed as they",
        "come, until Ctrl-C."})
final class AnswersCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Mixin ClientOptions clientOptions;
  @Spec CommandSpec spec;

  @Option(names = "--from-beginning",
      description = "Start at the oldest answer still on the topic.") boolean fromBeginning;

  @Option(names = "--follow", description = "Keep printing new answers after reaching the end.") boolean follow;

  @Option(names = "--max", defaultValue = "-1",
      description = "Stop after this many answers (default: no limit).") long max;

  @Override
  public Integer call() {
    LrConfig config = clientOptions.apply(configOptions.load());
    PrintWriter out = spec.commandLine().getOut();
    boolean keepGoing = follow || !fromBeginning;
    long printed = 0;
    try (PipelineClient client = new PipelineClient(config, clientOptions.timeout);
        PipelineClient.AnswerReader answers = client.answers(fromBeginning)) {
      Map<TopicPartition, Long> ends = answers.endOffsets();
      while (true) {
        for (RankedAnswer answer : answers.poll(Duration.ofMillis(300))) {
          out.println(json(answer));
          printed++;
          if (max >= 0 && printed >= max) {
            out.flush();
            return 0;
          }
        }
        out.flush();
        if (!keepGoing && answers.atEnd(ends)) {
          return 0;
        }
      }
    }
  }

  static ObjectNode json(RankedAnswer answer) {
    ObjectNode node = PromptInput.JSON.createObjectNode().put("requestId", answer.getRequestId())
        .put("task", answer.getTask().name()).put("chosenIndex", answer.getChosenIndex())
        .put("chosenText", answer.getChosenText()).put("strategy", answer.getStrategy().name())
        .put("rankerId", answer.getRankerId());
    if (answer.getRankerVersion() == null) {
      node.putNull("rankerVersion");
    } else {
      node.put("rankerVersion", answer.getRankerVersion());
    }
    node.put("complete", answer.getComplete()).put("candidatesRanked", answer.getCandidatesRanked())
        .put("k", answer.getK()).put("baseModelId", answer.getBaseModelId()).put("latencyMs", answer.getLatencyMs())
        .put("promptCreatedAt", answer.getPromptCreatedAt().toString())
        .put("answeredAt", answer.getAnsweredAt().toString());
    ArrayNode scores = node.putArray("scores");
    answer.getScores().forEach(s -> scores.addObject().put("index", s.getIndex()).put("score", s.getScore()));
    ObjectNode metadata = node.putObject("metadata");
    answer.getMetadata().forEach(metadata::put);
    return node;
  }
}

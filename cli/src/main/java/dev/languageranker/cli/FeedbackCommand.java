package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.events.LabelType;
import dev.languageranker.events.Verdict;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.platform.config.LrConfig;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Publishes an external outcome (a user rating or a judge score) for one candidate. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
    description = {"Publishes an external outcome for a candidate of a request to lr.verifications: a real-valued",
        "score (a user rating, a judge's 0-5), or with --correct/--incorrect a binary verdict. The latest outcome of",
        "a candidate is its label; the labeler joins it into the request's training example."})
final class FeedbackCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Mixin ClientOptions clientOptions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REQUEST_ID") String requestId;
  @Parameters(index = "1", paramLabel = "CANDIDATE_INDEX") int candidateIndex;

  @Option(names = "--score", description = "Real-valued label, e.g. a 0-5 rating.") Double score;
  @Option(names = "--correct", description = "Binary label: correct.") boolean correct;
  @Option(names = "--incorrect", description = "Binary label: incorrect.") boolean incorrect;
  @Option(names = "--source", defaultValue = "feedback",
      description = "Who judged (the verifier field; default: ${DEFAULT-VALUE}).") String source;
  @Option(names = "--detail", description = "Free text kept with the outcome.") String detail;

  @Override
  public Integer call() {
    int given = (score != null ? 1 : 0) + (correct ? 1 : 0) + (incorrect ? 1 : 0);
    if (given != 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give exactly one of --score S, --correct, --incorrect");
    }
    if (candidateIndex < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "CANDIDATE_INDEX must be 0 or more");
    }
    if (score != null && (score.isNaN() || score.isInfinite())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--score must be a finite number");
    }
    VerificationOutcome outcome = VerificationOutcome.newBuilder().setRequestId(requestId)
        .setCandidateIndex(candidateIndex)
        .setVerdict(score != null ? Verdict.RATED : correct ? Verdict.CORRECT : Verdict.INCORRECT)
        .setLabelType(score != null ? LabelType.REAL : LabelType.BINARY)
        .setScore(score != null ? score : correct ? 1.0 : 0.0).setVerifier(source).setDetail(detail)
        .setExternal(true).setVerifiedAt(Instant.now()).build();
    LrConfig config = clientOptions.apply(configOptions.load());
    try (PipelineClient client = new PipelineClient(config, clientOptions.timeout)) {
      client.send(outcome);
      client.flush();
    }
    spec.commandLine().getOut().printf("feedback for %s candidate %d: %s %.3f%n", requestId, candidateIndex,
        outcome.getVerdict(), outcome.getScore());
    spec.commandLine().getOut().flush();
    return 0;
  }
}

package dev.languageranker.labeler;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.Reference;
import dev.languageranker.events.Task;
import dev.languageranker.events.Verdict;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.schemas.SampleEvents;
import java.time.Instant;
import java.util.List;

/** Events for labeler tests: candidates with small features, references and external outcomes. */
final class LabelerFixtures {
  static final int DIM = 8;

  private LabelerFixtures() {}

  static Candidate candidate(String rid, Task task, int index, int k, String text) {
    return Candidate.newBuilder(SampleEvents.candidate(index, DIM))
        .setRequestId(rid).setTask(task).setRankerId("r").setIndex(index).setK(k).setText(text)
        .setLogProbMean(-0.1 * index).build();
  }

  /** A math candidate whose boxed answer is {@code answer}. */
  static Candidate mathCandidate(String rid, int index, int k, String answer) {
    return candidate(rid, Task.MATH, index, k, "Step by step: ... so the answer is \\boxed{" + answer + "}.");
  }

  static Reference mathReference(String rid, String answer) {
    return Reference.newBuilder().setRequestId(rid).setTask(Task.MATH).setAnswer(answer)
        .setCreatedAt(Instant.now()).build();
  }

  static Reference functionReference(String rid, String expectedCalls) {
    return Reference.newBuilder().setRequestId(rid).setTask(Task.FUNCTION_CALL).setExpectedCalls(expectedCalls)
        .setCreatedAt(Instant.now()).build();
  }

  static Reference codeReference(String rid, List<String> tests) {
    return Reference.newBuilder().setRequestId(rid).setTask(Task.CODE).setTests(tests).setCreatedAt(Instant.now())
        .build();
  }

  static VerificationOutcome rating(String rid, int index, double score) {
    return VerificationOutcome.newBuilder().setRequestId(rid).setCandidateIndex(index).setVerdict(Verdict.RATED)
        .setLabelType(LabelType.REAL).setScore(score).setVerifier("judge:test").setDetail("rated")
        .setExternal(true).setVerifiedAt(Instant.now()).build();
  }

  static VerificationOutcome feedback(String rid, int index, boolean good) {
    return VerificationOutcome.newBuilder().setRequestId(rid).setCandidateIndex(index)
        .setVerdict(good ? Verdict.CORRECT : Verdict.INCORRECT).setLabelType(LabelType.BINARY)
        .setScore(good ? 1 : 0).setVerifier("feedback:user").setDetail("thumbs").setExternal(true)
        .setVerifiedAt(Instant.now()).build();
  }
}

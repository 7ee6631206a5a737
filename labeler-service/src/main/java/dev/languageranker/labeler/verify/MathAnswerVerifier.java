package dev.languageranker.labeler.verify;

import dev.languageranker.ranker.answers.BoxedAnswerExtractor;
import dev.languageranker.ranker.answers.MathAnswerNormalizer;
import java.util.Optional;

/** Verifies a math response by its final boxed (or {@code ####}) answer against the expected answer. */
public final class MathAnswerVerifier implements Verifier<MathReference> {

  private final BoxedAnswerExtractor extractor = new BoxedAnswerExtractor();
  private final MathAnswerNormalizer normalizer = new MathAnswerNormalizer();

  @Override
  public Verification verify(String response, MathReference reference) {
    Optional<String> extracted = extractor.extract(response);
    if (extracted.isEmpty()) {
      return Verification.of(Verdict.UNPARSEABLE, null, "no \\boxed{} or #### answer found");
    }
    String expected = extractor.extract(reference.answer()).orElse(reference.answer());
    String key = normalizer.key(extracted.get());
    String expectedKey = normalizer.key(expected);
    if (key.isEmpty()) {
      return Verification.of(Verdict.UNPARSEABLE, null, "the extracted answer is empty after normalization");
    }
    boolean same = key.equals(expectedKey);
    return Verification.of(
        same ? Verdict.CORRECT : Verdict.INCORRECT,
        key,
        "answer " + extracted.get() + " (key " + key + ")" + (same ? " matches " : " differs from ") + "expected key " + expectedKey);
  }
}

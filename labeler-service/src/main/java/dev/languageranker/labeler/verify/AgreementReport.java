package dev.languageranker.labeler.verify;

import java.util.List;

/**
 * How a verifier agrees with a reference data set: each reference solution should be judged positive against its
 * own reference and negative against a different one.
 *
 * @param dataSet the data set's name
 * @param problems how many problems were checked
 * @param ownAgreed reference solutions judged positive against their own reference
 * @param otherAgreed responses judged negative against a different reference (or a perturbed answer)
 * @param ownMisses the problems whose own check failed, with the verifier's detail
 * @param otherMisses the problems whose other check failed, with the detail
 * @param seconds wall-clock time of the sweep
 */
public record AgreementReport(
    String dataSet, int problems, int ownAgreed, int otherAgreed, List<String> ownMisses, List<String> otherMisses,
    double seconds) {

  public AgreementReport {
    ownMisses = List.copyOf(ownMisses);
    otherMisses = List.copyOf(otherMisses);
  }

  public double ownRate() {
    return problems == 0 ? 0 : (double) ownAgreed / problems;
  }

  public double otherRate() {
    return problems == 0 ? 0 : (double) otherAgreed / problems;
  }

  /** Verifications per second over both checks. */
  public double perSecond() {
    return seconds <= 0 ? 0 : 2.0 * problems / seconds;
  }
}

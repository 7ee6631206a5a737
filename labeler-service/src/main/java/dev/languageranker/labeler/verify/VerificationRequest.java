package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One thing to verify, as the verify CLI reads it: {@code {"task", "response", "reference"}} where the reference is
 * {@code {"answer"}} (math), {@code {"tests", "setup"}} (code) or {@code {"calls", "functions"}} (function calls,
 * BFCL ground truth or plain calls).
 *
 * @param task which verifier
 * @param response the model's response
 * @param reference the task's reference: a {@link MathReference}, {@link CodeReference} or {@link FunctionCallReference}
 */
public record VerificationRequest(VerifyTask task, String response, Object reference) {

  public VerificationRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(reference, "reference");
  }

  /** Reads a request from one JSON line; throws {@link IllegalArgumentException} saying what is wrong. */
  public static VerificationRequest fromJson(JsonNode line) {
    if (line == null || !line.isObject()) {
      throw new IllegalArgumentException("expected a JSON object {\"task\", \"response\", \"reference\"}");
    }
    if (!line.path("task").isTextual()) {
      throw new IllegalArgumentException("missing \"task\" (math, code or function)");
    }
    VerifyTask task = VerifyTask.named(line.get("task").asText());
    if (!line.path("response").isTextual()) {
      throw new IllegalArgumentException("missing \"response\" string");
    }
    JsonNode reference = line.path("reference");
    if (!reference.isObject()) {
      throw new IllegalArgumentException("missing \"reference\" object");
    }
    return new VerificationRequest(task, line.get("response").asText(), reference(task, reference));
  }

  private static Object reference(VerifyTask task, JsonNode reference) {
    switch (task) {
      case MATH -> {
        JsonNode answer = reference.path("answer");
        if (!answer.isTextual() && !answer.isNumber()) {
          throw new IllegalArgumentException("math reference needs \"answer\"");
        }
        JsonNode question = reference.path("question");
        return new MathReference(answer.asText(), question.isTextual() ? question.asText() : null);
      }
      case CODE -> {
        JsonNode tests = reference.path("tests");
        if (!tests.isArray() || tests.isEmpty()) {
          throw new IllegalArgumentException("code reference needs a non-empty \"tests\" list");
        }
        List<String> asserts = new ArrayList<>();
        for (JsonNode test : tests) {
          if (!test.isTextual()) {
            throw new IllegalArgumentException("code reference \"tests\" must be strings");
          }
          asserts.add(test.asText());
        }
        return new CodeReference(asserts, reference.path("setup").asText(""));
      }
      case FUNCTION -> {
        JsonNode calls = reference.has("calls") ? reference.get("calls") : reference.get("ground_truth");
        if (calls == null || !(calls.isArray() || calls.isObject())) {
          throw new IllegalArgumentException("function reference needs \"calls\" (a list of calls)");
        }
        JsonNode functions = reference.get("functions");
        return new FunctionCallReference(calls.toString(),
            functions == null || functions.isNull() ? null : functions.toString());
      }
      default -> throw new IllegalArgumentException("unknown task " + task);
    }
  }
}

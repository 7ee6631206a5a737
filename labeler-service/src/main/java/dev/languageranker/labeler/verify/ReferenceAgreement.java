package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks the verifiers against reference data: each reference solution must verify against its own reference and
 * not against another problem's (math, code) or a perturbed call (function calling).
 */
public final class ReferenceAgreement {

  private final ObjectMapper mapper = new ObjectMapper();
  private final MathAnswerVerifier math = new MathAnswerVerifier();
  private final FunctionCallVerifier functions = new FunctionCallVerifier(mapper);

  /** Each solution against its own answer, and against the next problem whose answer is written differently. */
  public AgreementReport math(String dataSet, List<MathProblem> problems) {
    long start = System.nanoTime();
    int own = 0;
    int other = 0;
    List<String> ownMisses = new ArrayList<>();
    List<String> otherMisses = new ArrayList<>();
    for (int i = 0; i < problems.size(); i++) {
      MathProblem problem = problems.get(i);
      Verification self = math.verify(problem.solution(), new MathReference(problem.answer()));
      if (self.verdict() == Verdict.CORRECT) {
        own++;
      } else {
        ownMisses.add(problem.id() + ": " + self.detail());
      }
      MathProblem different = nextWithDifferentAnswer(problems, i);
      Verification cross = math.verify(problem.solution(), new MathReference(different.answer()));
      if (cross.verdict() == Verdict.INCORRECT) {
        other++;
      } else {
        otherMisses.add(problem.id() + " vs " + different.id() + ": " + cross.detail());
      }
    }
    return new AgreementReport(dataSet, problems.size(), own, other, ownMisses, otherMisses, seconds(start));
  }

  /** Each reference solution against its own tests and against the next problem's tests, {@code threads} at a time. */
  public AgreementReport code(List<CodeProblem> problems, CodeVerifier verifier, int threads) {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Verification>> selfRuns = new ArrayList<>();
      List<Future<Verification>> crossRuns = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) {
        CodeProblem problem = problems.get(i);
        CodeProblem next = problems.get((i + 1) % problems.size());
        selfRuns.add(pool.submit(() -> verifier.verify(problem.code(), problem.reference())));
        crossRuns.add(pool.submit(() -> verifier.verify(problem.code(), next.reference())));
      }
      int own = 0;
      int other = 0;
      List<String> ownMisses = new ArrayList<>();
      List<String> otherMisses = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) {
        Verification self = selfRuns.get(i).get();
        Verification cross = crossRuns.get(i).get();
        if (self.verdict() == Verdict.PASS) {
          own++;
        } else {
          ownMisses.add("mbpp:" + problems.get(i).taskId() + " " + self.verdict() + ": " + self.detail());
        }
        if (cross.verdict() != Verdict.PASS) {
          other++;
        } else {
          otherMisses.add("mbpp:" + problems.get(i).taskId() + " passed the next problem's tests");
        }
      }
      return new AgreementReport("mbpp", problems.size(), own, other, ownMisses, otherMisses, seconds(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a verification failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Each ground truth as a response (first accepted value per argument, parallel calls in reverse order) must be
   * correct; with one argument value perturbed (or the name, for calls without arguments) it must not be.
   */
  public AgreementReport functionCalls(String dataSet, List<FunctionCallProblem> problems) {
    long start = System.nanoTime();
    int own = 0;
    int other = 0;
    List<String> ownMisses = new ArrayList<>();
    List<String> otherMisses = new ArrayList<>();
    for (FunctionCallProblem problem : problems) {
      List<ObjectNode> calls = plainCalls(problem.groundTruth());
      List<ObjectNode> reordered = new ArrayList<>(calls);
      Collections.reverse(reordered);
      Verification self = functions.verify(reordered.toString(), problem.reference());
      if (self.verdict() == Verdict.CORRECT) {
        own++;
      } else {
        ownMisses.add(problem.id() + ": " + self.detail());
      }
      Verification perturbed = functions.verify(perturb(calls).toString(), problem.reference());
      if (perturbed.verdict() == Verdict.INCORRECT) {
        other++;
      } else {
        otherMisses.add(problem.id() + ": " + perturbed.detail());
      }
    }
    return new AgreementReport(dataSet, problems.size(), own, other, ownMisses, otherMisses, seconds(start));
  }

  /** The ground truth as plain calls: the first accepted value of each argument, omitted when that is {@code ""}. */
  List<ObjectNode> plainCalls(String groundTruth) {
    List<ObjectNode> calls = new ArrayList<>();
    try {
      for (JsonNode call : mapper.readTree(groundTruth)) {
        Map.Entry<String, JsonNode> only = call.fields().next();
        ObjectNode plain = mapper.createObjectNode();
        plain.put("name", only.getKey());
        plain.set("arguments", firstAccepted(only.getValue()));
        calls.add(plain);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return calls;
  }

  private ObjectNode firstAccepted(JsonNode acceptedByName) {
    ObjectNode args = mapper.createObjectNode();
    acceptedByName.fields().forEachRemaining(arg -> {
      JsonNode first = arg.getValue().get(0);
      if (!(first.isTextual() && first.asText().isEmpty())) {
        args.set(arg.getKey(), plainValue(first));
      }
    });
    return args;
  }

  private JsonNode plainValue(JsonNode accepted) {
    if (accepted.isObject()) {
      return firstAccepted(accepted);
    }
    if (accepted.isArray()) {
      ArrayNode values = mapper.createArrayNode();
      accepted.forEach(v -> values.add(plainValue(v)));
      return values;
    }
    return accepted;
  }

  /** The calls with the first argument of the first call changed to a value no accepted list holds (or the name, without arguments). */
  private List<ObjectNode> perturb(List<ObjectNode> calls) {
    List<ObjectNode> copy = new ArrayList<>();
    calls.forEach(c -> copy.add(c.deepCopy()));
    ObjectNode first = copy.get(0);
    ObjectNode args = (ObjectNode) first.get("arguments");
    if (args.isEmpty()) {
      first.put("name", first.get("name").asText() + "_other");
      return copy;
    }
    String name = args.fieldNames().next();
    args.set(name, perturbValue(args.get(name)));
    return copy;
  }

  private JsonNode perturbValue(JsonNode value) {
    if (value.isNumber()) {
      return mapper.getNodeFactory().numberNode(value.decimalValue().add(java.math.BigDecimal.valueOf(7919)));
    }
    if (value.isBoolean()) {
      return mapper.getNodeFactory().booleanNode(!value.asBoolean());
    }
    if (value.isArray()) {
      ArrayNode longer = value.deepCopy();
      longer.add(value.isEmpty() ? TextNode.valueOf("extra") : value.get(0));
      return longer;
    }
    if (value.isObject()) {
      ObjectNode wider = value.deepCopy();
      wider.put("unexpected_key", "x");
      return wider;
    }
    return TextNode.valueOf(value.asText() + " perturbed");
  }

  private static MathProblem nextWithDifferentAnswer(List<MathProblem> problems, int i) {
    for (int step = 1; step < problems.size(); step++) {
      MathProblem candidate = problems.get((i + step) % problems.size());
      if (!candidate.answer().strip().equals(problems.get(i).answer().strip())) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("every problem has the same answer");
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

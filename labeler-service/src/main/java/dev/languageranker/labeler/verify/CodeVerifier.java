package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Verifies a code response by running its Python code with the reference asserts in a {@link PythonSandbox}:
 * {@code PASS}, {@code FAIL} (naming the assert), {@code TIMEOUT} or {@code ERROR}.
 */
public final class CodeVerifier implements Verifier<CodeReference> {

  private static final String HARNESS = loadHarness();
  private static final int DETAIL_TAIL = 300;

  private final PythonSandbox sandbox;
  private final ObjectMapper mapper = new ObjectMapper();
  private final PythonCodeExtractor extractor = new PythonCodeExtractor();
  private final SecureRandom random = new SecureRandom();

  public CodeVerifier(PythonSandbox sandbox) {
    this.sandbox = sandbox;
  }

  public PythonSandbox sandbox() {
    return sandbox;
  }

  /** Blocks while the sandbox is busy; an interrupt yields {@code ERROR} with the interrupt flag kept. */
  @Override
  public Verification verify(String response, CodeReference reference) {
    Optional<String> code = extractor.extract(response);
    if (code.isEmpty()) {
      return Verification.of(Verdict.ERROR, null, "no code found in the response");
    }
    ObjectNode job = mapper.createObjectNode();
    job.put("setup", reference.setup().replace("\r\n", "\n"));
    job.put("code", code.get());
    job.putPOJO("tests", reference.tests());
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String nonce = HexFormat.of().formatHex(nonceBytes);
    SandboxRun run;
    try {
      run = sandbox.run(HARNESS, job.toString(), nonce);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verification.of(Verdict.ERROR, null, "interrupted before the code ran");
    }
    return judge(run, nonce);
  }

  private Verification judge(SandboxRun run, String nonce) {
    if (run.outputExceeded()) {
      return Verification.of(Verdict.ERROR, null,
          "output exceeded " + sandbox.settings().maxOutputBytes() + " bytes; killed");
    }
    Optional<JsonNode> result = resultLine(run.output(), nonce);
    if (result.isPresent()) {
      Verdict verdict = switch (result.get().path("verdict").asText()) {
        case "pass" -> Verdict.PASS;
        case "fail" -> Verdict.FAIL;
        default -> Verdict.ERROR;
      };
      return Verification.of(verdict, null, result.get().path("detail").asText());
    }
    if (run.timedOut()) {
      return Verification.of(Verdict.TIMEOUT, null,
          "wall-clock limit of " + sandbox.settings().wallTimeout().toMillis() + " ms reached; killed");
    }
    if (run.cpuLimitReached()) {
      return Verification.of(Verdict.TIMEOUT, null,
          "CPU-time limit of " + sandbox.settings().cpuSeconds() + " s reached");
    }
    return Verification.of(Verdict.ERROR, null,
        "exited with status " + run.exitCode() + " without a result: " + tail(run.output()));
  }

  private Optional<JsonNode> resultLine(String output, String nonce) {
    int at = output.lastIndexOf("\n" + nonce + " ");
    if (at < 0) {
      return Optional.empty();
    }
    int start = at + nonce.length() + 2;
    int end = output.indexOf('\n', start);
    try {
      return Optional.of(mapper.readTree(output.substring(start, end < 0 ? output.length() : end)));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static String tail(String output) {
    String trimmed = output.strip();
    return trimmed.length() <= DETAIL_TAIL ? trimmed : "..." + trimmed.substring(trimmed.length() - DETAIL_TAIL);
  }

  private static String loadHarness() {
    try (InputStream in = CodeVerifier.class.getResourceAsStream("sandbox_harness.py")) {
      if (in == null) {
        throw new IllegalStateException("sandbox_harness.py missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Supplier;

/** The three verifiers behind one call, chosen by task; the code sandbox is probed only when code is first verified. */
public final class TaskVerifiers {

  private final MathAnswerVerifier math;
  private final FunctionCallVerifier functions = new FunctionCallVerifier(new ObjectMapper());
  private final Supplier<CodeVerifier> codeFactory;
  private volatile CodeVerifier code;

  public TaskVerifiers(Supplier<CodeVerifier> codeFactory) {
    this(new MathAnswerVerifier(), codeFactory);
  }

  /** Verifiers with {@code math} configured (tolerance, time limit). */
  public TaskVerifiers(MathAnswerVerifier math, Supplier<CodeVerifier> codeFactory) {
    this.math = math;
    this.codeFactory = codeFactory;
  }

  /** Verifiers whose code sandbox uses {@code settings}. */
  public static TaskVerifiers withSandbox(SandboxSettings settings) {
    return new TaskVerifiers(() -> new CodeVerifier(PythonSandbox.probed(settings)));
  }

  /** Verifies one request; throws {@link IllegalArgumentException} when its reference is malformed. */
  public Verification verify(VerificationRequest request) {
    return switch (request.task()) {
      case MATH -> math.verify(request.response(), (MathReference) request.reference());
      case FUNCTION -> functions.verify(request.response(), (FunctionCallReference) request.reference());
      case CODE -> code().verify(request.response(), (CodeReference) request.reference());
    };
  }

  /** The code verifier, created (and its sandbox probed) on first use. */
  public CodeVerifier code() {
    CodeVerifier current = code;
    if (current == null) {
      synchronized (this) {
        if (code == null) {
          code = codeFactory.get();
        }
        current = code;
      }
    }
    return current;
  }
}

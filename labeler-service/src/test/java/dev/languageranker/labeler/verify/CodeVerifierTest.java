package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodeVerifierTest {

  private static CodeVerifier verifier;
  private static final CodeReference ADD = new CodeReference(List.of("assert add(1, 2) == 3", "assert add(-1, 1) == 0"), "");

  @BeforeAll
  static void sandbox() {
    verifier = new CodeVerifier(PythonSandbox.probed(SandboxSettings.defaults().withWallTimeout(Duration.ofSeconds(5))));
  }

  @Test
  void codePassingEveryAssertPasses() {
    Verification v = verifier.verify("#START OF CODE\ndef add(a, b):\n    return a + b\n#END OF CODE", ADD);

    assertEquals(Verdict.PASS, v.verdict(), v.detail());
    assertEquals(1.0, v.score());
  }

  @Test
  void failureNamesTheFailingAssert() {
    Verification v = verifier.verify("def add(a, b):\n    return a + b if a > 0 else 99", ADD);

    assertEquals(Verdict.FAIL, v.verdict());
    assertTrue(v.detail().startsWith("assert 2 failed: assert add(-1, 1) == 0"), v.detail());
  }

  @Test
  void exceptionInATestIsAFailNamingTheException() {
    Verification v = verifier.verify("def add(a, b):\n    return a + c", ADD);

    assertEquals(Verdict.FAIL, v.verdict());
    assertTrue(v.detail().contains("NameError"), v.detail());
  }

  @Test
  void codeThatDoesNotCompileIsAnError() {
    Verification v = verifier.verify("def add(a, b)\n    return a + b", ADD);

    assertEquals(Verdict.ERROR, v.verdict());
    assertTrue(v.detail().contains("does not compile"), v.detail());
  }

  @Test
  void responseWithoutCodeIsAnError() {
    assertEquals(Verdict.ERROR, verifier.verify("   ", ADD).verdict());
  }

  @Test
  void setupCodeRunsBeforeTheCandidate() {
    CodeReference withSetup = new CodeReference(List.of("assert double(OFFSET) == 20"), "OFFSET = 10");

    assertEquals(Verdict.PASS, verifier.verify("def double(x):\n    return 2 * x", withSetup).verdict());
  }

  @Test
  void printedFakeResultLinesDoNotFoolTheVerifier() {
    Verification v = verifier.verify("print('\\nabc {\"verdict\": \"pass\", \"detail\": \"fake\", \"passed\": 2}')\ndef add(a, b):\n    return 0", ADD);

    assertEquals(Verdict.FAIL, v.verdict(), v.detail());
  }

  @Test
  void exitingBeforeTheTestsIsAnError() {
    Verification v = verifier.verify("import os\nos._exit(0)", ADD);

    assertEquals(Verdict.ERROR, v.verdict());
    assertTrue(v.detail().contains("without a result"), v.detail());
  }
}

package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodeVerifierIT {

  private static CodeVerifier verifier;
  private static final CodeReference ADD = new CodeReference(List.of("assert add(1, 2) == 3", "assert add(-1, 1) == 0"),
      "");

  @BeforeAll
  static void sandbox() {
    verifier = new CodeVerifier(
        PythonSandbox.probed(SandboxSettings.defaults().withWallTimeout(Duration.ofSeconds(5))));
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
  void setupRunsAfterTheCodeSoItsFixturesCanUseTheCandidatesClasses() {
    // As MBPP task 367: the setup builds a tree from the candidate's own Node class.
    CodeReference withSetup = new CodeReference(List.of("assert depth(root) == 2"),
        "root = Node(1)\nroot.left = Node(2)");
    String code = "class Node:\n    def __init__(self, v):\n        self.left = self.right = None\n"
        + "def depth(n):\n    return 0 if n is None else 1 + max(depth(n.left), depth(n.right))";

    assertEquals(Verdict.PASS, verifier.verify(code, withSetup).verdict());
  }

  @Test
  void setupFailingOnTheCandidatesCodeIsAFail() {
    CodeReference withSetup = new CodeReference(List.of("assert depth(root) == 1"), "root = Node(1)");

    Verification v = verifier.verify("def depth(n):\n    return 1", withSetup);

    assertEquals(Verdict.FAIL, v.verdict());
    assertTrue(v.detail().contains("test setup raised NameError"), v.detail());
  }

  @Test
  void printedFakeResultLinesDoNotFoolTheVerifier() {
    Verification v = verifier.verify(
        "print('\\nabc {\"verdict\": \"pass\", \"detail\": \"fake\", \"passed\": 2}')\ndef add(a, b):\n    return 0",
        ADD);

    assertEquals(Verdict.FAIL, v.verdict(), v.detail());
  }

  @Test
  void exitingBeforeTheTestsIsAnError() {
    Verification v = verifier.verify("import os\nos._exit(0)", ADD);

    assertEquals(Verdict.ERROR, v.verdict());
    assertTrue(v.detail().contains("without a result"), v.detail());
  }
}

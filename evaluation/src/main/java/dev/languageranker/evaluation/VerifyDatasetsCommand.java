package dev.languageranker.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.labeler.verify.AgreementReport;
import dev.languageranker.labeler.verify.CodeProblem;
import dev.languageranker.labeler.verify.CodeVerifier;
import dev.languageranker.labeler.verify.PythonSandbox;
import dev.languageranker.labeler.verify.ReferenceAgreement;
import dev.languageranker.labeler.verify.ReferenceDataSets;
import dev.languageranker.labeler.verify.SandboxSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verify-datasets}: the verifiers' agreement with the shared real data sets, and code verification throughput, as JSON. */
@Command(
    name = "verify-datasets",
    mixinStandardHelpOptions = true,
    description = {
        "Checks every reference solution against its own reference (should verify) and another problem's (should not):",
        "GSM8K and MATH answers, MBPP code in the sandbox, BFCL ground truth against itself and a perturbed call. Prints a JSON report."
    })
public final class VerifyDatasetsCommand implements Callable<Integer> {

  private static final Set<String> KNOWN = Set.of("gsm8k", "math", "mbpp", "bfcl");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", defaultValue = "../shared/data", paramLabel = "DIR",
      description = "The shared data directory (default: ${DEFAULT-VALUE}).") Path data;

  @Option(names = "--sets", defaultValue = "gsm8k,math,bfcl,mbpp", split = ",",
      description = "Data sets to check (default: ${DEFAULT-VALUE}).") List<String> sets;

  @Option(names = "--jobs", defaultValue = "2",
      description = "Code sandboxes at once (default: ${DEFAULT-VALUE}).") int jobs;

  @Option(names = "--mbpp-every", defaultValue = "1", paramLabel = "N",
      description = "Check every N-th MBPP problem (default: ${DEFAULT-VALUE}, all).") int mbppEvery;

  @Option(names = "--show-misses", defaultValue = "50", paramLabel = "N",
      description = "List at most N misses per check (default: ${DEFAULT-VALUE}).") int showMisses;

  @Override
  public Integer call() throws Exception {
    Set<String> chosen = new LinkedHashSet<>(sets);
    for (String set : chosen) {
      if (!KNOWN.contains(set)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown data set '" + set + "': expected some of " + KNOWN);
      }
    }
    if (jobs < 1 || jobs > 64 || mbppEvery < 1 || showMisses < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--jobs must be 1..64, --mbpp-every at least 1, --show-misses at least 0");
    }
    ReferenceDataSets dataSets = new ReferenceDataSets(data);
    if (!dataSets.available()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data.toAbsolutePath()
          + " does not hold gsm8k/, math/, mbpp/ and bfcl/ as described in its README");
    }
    ReferenceAgreement agreement = new ReferenceAgreement();
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode report = mapper.createObjectNode();
    ArrayNode results = report.putArray("checks");
    if (chosen.contains("gsm8k")) {
      results.add(json(mapper, agreement.math("gsm8k", dataSets.gsm8k())));
    }
    if (chosen.contains("math")) {
      results.add(json(mapper, agreement.math("math", dataSets.math())));
    }
    if (chosen.contains("bfcl")) {
      for (String category : ReferenceDataSets.BFCL_CATEGORIES) {
        results.add(json(mapper, agreement.functionCalls("bfcl_" + category, dataSets.bfcl(category))));
      }
    }
    if (chosen.contains("mbpp")) {
      List<CodeProblem> all = dataSets.mbpp();
      List<CodeProblem> sample = new ArrayList<>();
      for (int i = 0; i < all.size(); i += mbppEvery) {
        sample.add(all.get(i));
      }
      PythonSandbox sandbox = PythonSandbox.probed(SandboxSettings.defaults().withConcurrency(jobs));
      ObjectNode sandboxReport = report.putObject("sandbox");
      sandboxReport.put("python", sandbox.capabilities().python().toString());
      sandboxReport.put("jobs", jobs);
      sandboxReport.set("notEnforced", mapper.valueToTree(sandbox.capabilities().notEnforced()));
      AgreementReport code = agreement.code(sample, new CodeVerifier(sandbox), jobs);
      ObjectNode codeJson = json(mapper, code);
      codeJson.put("codeVerificationsPerSecond", round(code.perSecond()));
      results.add(codeJson);
    }
    spec.commandLine().getOut().println(mapper.writeValueAsString(report));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private ObjectNode json(ObjectMapper mapper, AgreementReport r) {
    ObjectNode node = mapper.createObjectNode();
    node.put("dataSet", r.dataSet());
    node.put("problems", r.problems());
    node.put("ownAgreed", r.ownAgreed());
    node.put("ownRate", round(r.ownRate()));
    node.put("otherAgreed", r.otherAgreed());
    node.put("otherRate", round(r.otherRate()));
    node.put("seconds", round(r.seconds()));
    node.set("ownMisses", mapper.valueToTree(r.ownMisses().stream().limit(showMisses).toList()));
    node.set("otherMisses", mapper.valueToTree(r.otherMisses().stream().limit(showMisses).toList()));
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }
}

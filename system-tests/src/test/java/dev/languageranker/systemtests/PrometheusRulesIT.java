package dev.languageranker.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (docker/prometheus/alerts.yml) with Debian's promtool: they load, and their unit tests pass, with
 * every alert both firing on a constructed series and staying silent on a healthy one.
 */
class PrometheusRulesIT {
  private static final String RULES = "docker/prometheus/alerts.yml";
  private static final String RULE_TESTS = "docker/prometheus/alerts.test.yml";

  @Test
  void theIssuesAlertsAreAllThere() {
    assertEquals(Set.of("LrConsumerGroupTimeLagHigh", "LrConsumerGroupStalled", "LrNoReleaseWhileExamplesArrive",
        "LrGateRefusalsInARow", "LrLiveAccuracyBelowFallback", "LrDeadLettersRising"), alerts());
  }

  @Test
  void everyAlertHasATestWhereItFiresAndOneWhereItStaysSilent() {
    Set<String> fires = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    JsonNode tests = RepositoryFiles.documents(RepositoryFiles.path(RULE_TESTS)).get(0);
    assertEquals(List.of("alerts.yml"), List.of(tests.at("/rule_files/0").asText()));
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        (check.path("exp_alerts").isEmpty() ? silent : fires).add(check.path("alertname").asText());
      }
    }
    assertEquals(alerts(), fires, "alerts with a test where they fire");
    assertEquals(alerts(), silent, "alerts with a test where they stay silent");
  }

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    Optional<ExternalTool> promtool = ExternalTool.find("promtool");
    assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus): rules not checked");

    ExternalTool.Result check = promtool.get().run(RepositoryFiles.ROOT, 60, "check", "rules", RULES);
    assertEquals(0, check.exitCode(), check.output());
    assertTrue(check.output().contains("SUCCESS: " + alerts().size() + " rules found"), check.output());
    ExternalTool.Result test = promtool.get().run(RepositoryFiles.ROOT, 120, "test", "rules", RULE_TESTS);
    assertEquals(0, test.exitCode(), test.output());
    ExternalTool.Result config = promtool.get().run(RepositoryFiles.ROOT, 60, "check", "config",
        "docker/prometheus/prometheus.yml");
    assertEquals(0, config.exitCode(), config.output());
  }

  private static Set<String> alerts() {
    Set<String> names = new TreeSet<>();
    RepositoryFiles.documents(RepositoryFiles.path(RULES)).get(0).path("groups")
        .forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asText())));
    return names;
  }
}

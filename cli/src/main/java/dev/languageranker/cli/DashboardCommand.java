package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.dashboard.Dashboard;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.service.ServiceLauncher;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Serves the dashboard against any cluster. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Serves the live pipeline dashboard against a cluster: the pipeline graph with each consumer",
        "group's lag in records and seconds and its status, quality of served answers, versions and training runs,",
        "and /metrics with kafka-lag-exporter's metric names. Runs until Ctrl-C."})
final class DashboardCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Mixin ClientOptions clientOptions;
  @Spec CommandSpec spec;

  @Option(names = "--port",
      description = "HTTP port (default: dashboard.port, 8080; 0 picks a free one).") Integer port;
  @Option(names = "--bind", description = "Address to bind (default: dashboard.bind, 127.0.0.1).") String bind;
  @Option(names = "--history-file",
      description = "Keep the lag history in this file across restarts.") Path historyFile;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (port != null) {
      overrides.put(Settings.DASHBOARD_PORT.key(), port.toString());
    }
    if (bind != null) {
      overrides.put(Settings.DASHBOARD_BIND.key(), bind);
    }
    LrConfig config = clientOptions.apply(configOptions.load()).with(overrides);
    new PipelineClient(config, clientOptions.timeout).close(); // one clear error when the cluster is not there
    Dashboard dashboard = Dashboard.start(config, historyFile);
    spec.commandLine().getOut().printf("dashboard of %s on %s (metrics on %smetrics)%n",
        config.get(Settings.BOOTSTRAP_SERVERS), dashboard.url(), dashboard.url());
    spec.commandLine().getOut().flush();
    ServiceLauncher.untilStopped("dashboard", dashboard::close);
    return 0;
  }
}

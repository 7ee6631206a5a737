package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.embedded.EmbeddedKafka;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the embedded KRaft broker on its own, with the topic catalogue, until interrupted. */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Runs a real Apache Kafka broker (KRaft, in-process) on embedded.port with its data in",
        "embedded.data.dir, creates the topic catalogue, and serves until Ctrl-C. No Docker needed."})
final class BrokerCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    LrConfig config = configOptions.load();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    LocalBroker.Started started = LocalBroker.start(config, config.get(Settings.EMBEDDED_DATA_DIR),
        config.get(Settings.EMBEDDED_PORT));
    EmbeddedKafka broker = started.broker();
    // The hook itself stops the broker: the JVM waits for hooks, not for this thread.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "broker-stop"));
    out.printf("broker %s ready in %d ms (data %s); topics created %d, present %d%n", broker.bootstrapServers(),
        broker.startupMillis(), broker.dataDir(), started.topics().created().size(),
        started.topics().existing().size());
    out.flush();
    stopped.await();
    return 0;
  }
}

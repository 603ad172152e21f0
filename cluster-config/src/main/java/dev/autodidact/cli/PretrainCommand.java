package dev.autodidact.cli;

import dev.autodidact.actors.RunSettings;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autodidact pretrain}: fit (or find in the cache) the embedded default's base model. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pretrain the base model on the synthetic task corpus and cache it by content hash.")
final class PretrainCommand implements Callable<Integer> {

  @Option(names = "--config", description = "HOCON file with settings (see reference.conf)")
  Path config;

  @Option(names = "--set", description = "override one setting, e.g. --set pretrain.steps=1000 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path home = BaseModels.defaultHome();
    Main.logTo(home.resolve("autodidact.log"));
    RunSettings settings = Settings.load(config, sets, com.typesafe.config.ConfigFactory.empty());
    BaseModels models = new BaseModels(home);
    boolean cached = models.cached(settings) != null;
    long start = System.nanoTime();
    byte[] checkpoint;
    try (BarProgress progress = new BarProgress()) {
      checkpoint = models.obtain(settings, progress);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("key", BaseModels.key(settings));
    result.put("checkpoint", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(checkpoint)));
    result.put("cached", cached);
    result.put("model", settings.modelPreset());
    result.put("parameters", settings.modelConfig().parameterCount());
    result.put("seconds", (System.nanoTime() - start) / 1e9);
    System.out.println(MetricsFiles.json(result));
    return 0;
  }

  private static final class BarProgress implements BaseModels.PretrainProgress, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void corpus(int programs) {
      System.err.printf("building the pretraining corpus from %d programs (executed in the sandbox)%n", programs);
    }

    @Override
    public void training(int steps) {
      bar = new ProgressBarBuilder().setTaskName("pretrain").setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
    }

    @Override
    public void step(int step) {
      bar.stepTo(step);
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}

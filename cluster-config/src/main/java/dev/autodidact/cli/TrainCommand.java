package dev.autodidact.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autodidact train}: pretrain the base model if needed, then run self-aware RL. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a policy by self-aware RL on the embedded default (pretraining it first if needed).")
final class TrainCommand implements Callable<Integer> {

  @Option(names = "--steps", description = "training steps (default: autodidact.run.steps, 20)")
  Integer steps;

  @Option(names = "--out", description = "run directory (default: ${DEFAULT-VALUE})", defaultValue = "runs/default")
  Path out;

  @Option(names = "--seed", description = "run seed: all randomness derives from it (default: 1)")
  Long seed;

  @Option(names = "--resume", description = "continue the run in --out from its last journaled phase")
  boolean resume;

  @Option(names = "--config", description = "HOCON file with settings (see reference.conf)")
  Path config;

  @Option(names = "--set", description = "override one setting, e.g. --set rewards.w_dp=0 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    RunDirectory dir = new RunDirectory(out);
    Files.createDirectories(dir.root());
    Main.logTo(dir.log());
    RunSettings settings = resume ? resumed(dir) : Settings.load(config, sets, flags());
    ConsoleView view = new ConsoleView();
    List<StepMetrics> metrics =
        LocalRun.train(dir, settings, new BaseModels(BaseModels.defaultHome()), resume, view);
    view.close();
    StepMetrics last = metrics.get(metrics.size() - 1);
    System.out.printf(Locale.ROOT, "trained %d steps: metrics in %s, summary in %s (extra-data ratio %.4f)%n",
        metrics.size(), dir.metrics(), dir.summary(), last.extraDataRatio());
    return 0;
  }

  private RunSettings resumed(RunDirectory dir) {
    if (!dir.holdsRun()) {
      throw new UserError(dir.root() + " holds no run to resume; start one with: autodidact train --out " + out);
    }
    if (config != null || !sets.isEmpty() || seed != null || steps != null) {
      throw new UserError("--resume continues a run with its recorded settings;"
          + " drop --config, --set, --seed and --steps");
    }
    return Settings.recorded(dir);
  }

  private Config flags() {
    Map<String, Object> flags = new HashMap<>();
    if (steps != null) {
      flags.put("run.steps", steps);
    }
    if (seed != null) {
      flags.put("run.seed", seed);
    }
    return ConfigFactory.parseMap(flags);
  }

  /** The progress bar on stderr, and pretraining's own bar before it. */
  private static final class ConsoleView implements LocalRun.Observer, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void corpus(int programs) {
      System.err.printf("building the pretraining corpus from %d programs (executed in the sandbox)%n", programs);
    }

    @Override
    public void training(int steps) {
      replace("pretrain", steps);
    }

    @Override
    public void step(int step) {
      bar.stepTo(step);
    }

    @Override
    public void starting(int totalSteps) {
      replace("train", totalSteps);
    }

    @Override
    public void stepFinished(StepMetrics metrics) {
      bar.stepTo(metrics.step());
      bar.setExtraMessage(String.format(Locale.ROOT, "valid %d, p %s, dp %s", metrics.validTasks(),
          format(metrics.rolloutAccuracy()), format(metrics.dpAccuracy())));
    }

    private static String format(Double value) {
      return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private void replace(String name, int max) {
      close();
      bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}

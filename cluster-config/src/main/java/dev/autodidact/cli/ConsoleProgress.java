package dev.autodidact.cli;

import dev.autodidact.actors.StepMetrics;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr: pretraining's, then training's with the latest step's numbers. */
final class ConsoleProgress implements LocalRun.Observer, AutoCloseable {
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

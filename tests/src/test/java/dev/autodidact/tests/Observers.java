package dev.autodidact.tests;

import dev.autodidact.actors.StepMetrics;
import dev.autodidact.cli.LocalRun;

/** Test observers of a run. */
final class Observers {
  static final LocalRun.Observer SILENT = new LocalRun.Observer() {
    @Override
    public void corpus(int programs) {}

    @Override
    public void training(int steps) {}

    @Override
    public void step(int step) {}

    @Override
    public void starting(int totalSteps) {}

    @Override
    public void stepFinished(StepMetrics metrics) {}
  };

  private Observers() {}
}

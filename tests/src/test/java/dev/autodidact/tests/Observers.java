package dev.autodidact.tests;

import dev.autodidact.cli.LocalRun;

/** Test observers of a run. */
final class Observers {
  static final LocalRun.Observer SILENT = new LocalRun.Observer() {};

  private Observers() {}
}

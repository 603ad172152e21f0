package dev.autodidact.cli;

import dev.autodidact.sandbox.SandboxPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code autodidact sandbox check}: re-judge every recorded CRUXEval answer and compare with the benchmark. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Re-judge CodeLlama-7B's recorded CRUXEval answers (output and input prediction, 10 per task) in"
        + " the sandbox exactly as the benchmark's evaluator did, and print, as one JSON object, how often our"
        + " verdict agrees with the recorded one, with every disagreement.",
        "Progress goes to standard error."})
final class SandboxCheckCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--cruxeval", paramLabel = "DIR", description = "the CRUXEval data: cruxeval.jsonl and"
      + " codellama-7b-{output,input}-scored.json (default: shared/data/cruxeval beside the working directory or above)")
  Path dir;

  @Option(names = "--limit", paramLabel = "TASKS", description = "re-judge only the answers to the first TASKS tasks")
  Integer limit;

  @Mixin
  PoolOptions poolOptions;

  @Override
  public Integer call() throws Exception {
    Main.logTo(BaseModels.defaultHome().resolve("autodidact.log"));
    if (limit != null && limit <= 0) {
      throw new UserError("--limit must be at least 1, not " + limit);
    }
    CruxEvalData data = CruxEvalData.load(CruxEvalData.locate(dir));
    if (limit != null) {
      data = data.firstTasks(limit);
    }
    long start = System.nanoTime();
    List<Rejudgement> verdicts = rejudge(data.answers());
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    spec.commandLine().getOut().println(MetricsFiles.json(RejudgingReport.of(verdicts, data.tasks().size(), wallSeconds)));
    return 0;
  }

  private List<Rejudgement> rejudge(List<RecordedAnswer> answers) throws InterruptedException {
    List<Rejudgement> verdicts = new ArrayList<>(answers.size());
    try (ProgressBar bar = ProgressBars.onStderr("check", answers.size());
         SandboxPool pool = poolOptions.start();
         InOrderWindow<Rejudgement> window = new InOrderWindow<>(poolOptions.window(), verdict -> {
           verdicts.add(verdict);
           bar.step();
         })) {
      for (RecordedAnswer answer : answers) {
        window.submit(() -> Rejudgement.of(pool, answer));
      }
      window.finish();
    }
    return verdicts;
  }
}

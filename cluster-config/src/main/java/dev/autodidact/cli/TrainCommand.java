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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code autodidact train}: pretrain the base model if needed, then run self-aware RL. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a policy by self-aware RL on the embedded default (pretraining it first if needed).")
final class TrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

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

  @Option(names = "--journal-url", description = "journal in this external PostgreSQL (e.g."
      + " jdbc:postgresql://db:5432/autodidact?user=u&password=p) instead of the embedded one in --out; recorded in"
      + " --out, so --resume, replay and events find it")
  String journalUrl;

  @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "join the cluster that node is in and run there:"
      + " with --journal-url (a PostgreSQL every node reaches) the cluster's coordinator nodes host the run (this JVM"
      + " too, if its --roles has coordinator,learner) and another takes it over when its node dies; this JVM follows"
      + " it and may be stopped and started again with --resume. With the journal embedded in --out, the run lives in"
      + " this JVM. Every rollout node samples for the run and every verifier node verifies for it")
  String cluster;

  @Option(names = "--roles", split = ",", defaultValue = "coordinator,learner,rollout,verifier",
      description = "with --cluster: this JVM's roles (default: ${DEFAULT-VALUE}); leave out rollout or verifier to"
          + " sample or verify on other nodes only; `client` only follows the run")
  List<String> roles = new ArrayList<>();

  @Mixin
  ClusterOptions clusterOptions = new ClusterOptions();

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "run generated programs even where this host cannot jail them fully (RISK: they may read"
          + " this host's files and reach its network); see `autodidact sandbox check-host`")
  boolean allowWeakSandboxIsolation;

  @Override
  public Integer call() throws Exception {
    RunDirectory dir = new RunDirectory(out);
    boolean externalJournal = journalUrl != null || (resume && Files.exists(dir.journalUrl()));
    if (cluster != null && !externalJournal) {
      if (!roles.contains("rollout")) {
        throw new UserError("without the rollout role here, rollout nodes sample for this run and load its checkpoints"
            + " from the journal's database, which they cannot reach when it is embedded: add --journal-url"
            + " jdbc:postgresql://HOST:PORT/DATABASE (the one the rollout nodes use), or keep rollout in --roles");
      }
      for (String role : List.of("coordinator", "learner")) {
        if (!roles.contains(role)) {
          throw new UserError("a run whose journal is embedded in --out lives in this JVM: keep " + role + " in --roles,"
              + " or give --journal-url so that the cluster's coordinator nodes host it");
        }
      }
    }
    Files.createDirectories(dir.root());
    Main.logTo(dir.log());
    RunSettings settings = resume ? resumed(dir) : Settings.load(config, sets, flags());
    SandboxPreflight.require(settings.sandboxConfig());
    ConsoleProgress view = new ConsoleProgress();
    LocalRun.Membership membership = null;
    if (cluster != null) {
      ClusterNodes.seedAddress(cluster);
      membership = new LocalRun.Membership(roles, clusterOptions.host, cluster, clusterOptions::apply, system -> {
        clusterOptions.startManagement(system);
        // Nodes started later may join through this one (--seed), whichever node the cluster began with.
        var self = akka.cluster.typed.Cluster.get(system).selfMember().address();
        spec.commandLine().getErr().println("autodidact: this JVM's node is " + self.getHost().orElse("?") + ":"
            + self.getPort().orElse(0) + " (roles " + String.join(",", roles) + "); other nodes may use it as --seed"
            + " while it runs");
      });
    }
    BaseModels baseModels = new BaseModels(BaseModels.defaultHome());
    List<StepMetrics> metrics = cluster != null && externalJournal
        // The cluster's coordinator nodes host the run (this JVM too, if it has the role); this JVM follows it.
        ? ClusterRun.train(dir, settings, baseModels, resume, journalUrl, membership, view)
        : LocalRun.train(dir, settings, baseModels, resume, journalUrl, membership, view);
    view.close();
    StepMetrics last = metrics.get(metrics.size() - 1);
    spec.commandLine().getOut().printf(Locale.ROOT, "trained %d steps: metrics in %s, summary in %s (extra-data ratio %.4f)%n",
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
    if (allowWeakSandboxIsolation) {
      flags.put("sandbox.allow_weak_isolation", true);
    }
    return ConfigFactory.parseMap(flags);
  }
}

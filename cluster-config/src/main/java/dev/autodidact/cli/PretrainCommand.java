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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code autodidact pretrain}: fit (or find in the cache) the embedded default's base model. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pretrain the base model on the synthetic task corpus and cache it by content hash.")
final class PretrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--config", description = "HOCON file with settings (see reference.conf)")
  Path config;

  @Option(names = "--set", description = "override one setting, e.g. --set pretrain.steps=1000 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    RunSettings settings = Settings.load(config, sets, com.typesafe.config.ConfigFactory.empty());
    if (settings.usesTorchScript()) {
      throw new UserError("model.torchscript is set: a TorchScript model is trained as it is,"
          + " there is nothing to pretrain");
    }
    Path home = BaseModels.defaultHome();
    Main.logTo(home.resolve("autodidact.log"));
    SandboxPreflight.require(settings.sandboxConfig());
    BaseModels models = new BaseModels(home);
    boolean cached = models.cached(settings) != null;
    long start = System.nanoTime();
    byte[] checkpoint;
    try (ConsoleProgress progress = new ConsoleProgress()) {
      checkpoint = models.obtain(settings, progress);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("key", BaseModels.key(settings));
    result.put("checkpoint", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(checkpoint)));
    result.put("cached", cached);
    result.put("model", settings.modelPreset());
    result.put("parameters", settings.modelConfig().parameterCount());
    result.put("seconds", (System.nanoTime() - start) / 1e9);
    spec.commandLine().getOut().println(MetricsFiles.json(result));
    return 0;
  }
}

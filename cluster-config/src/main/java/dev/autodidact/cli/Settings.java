package dev.autodidact.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.autodidact.actors.RunSettings;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** Builds a run's settings from defaults, a config file, {@code --set} overrides and flags. */
final class Settings {
  private Settings() {}

  /**
   * @param file a HOCON file with an {@code autodidact} block (or its keys at top level), or null
   * @param sets {@code key=value} pairs, keys relative to {@code autodidact} (e.g. rewards.w_dp=0)
   * @param flags flag overrides, applied last, relative to {@code autodidact}
   */
  static RunSettings load(Path file, List<String> sets, Config flags) {
    Config overrides = flags.withFallback(overrides(sets));
    Config fromFile = ConfigFactory.empty();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new UserError("config file " + file + " does not exist");
      }
      try {
        fromFile = ConfigFactory.parseFile(file.toFile());
      } catch (ConfigException e) {
        throw new UserError("config file " + file + " is not valid HOCON: " + e.getMessage());
      }
      if (fromFile.hasPath("autodidact")) {
        fromFile = fromFile.getConfig("autodidact");
      }
    }
    Config block = overrides.withFallback(fromFile);
    try {
      return RunSettings.from(withAbsoluteTorchScript(
          block.atKey("autodidact").withFallback(ConfigFactory.defaultReference()).resolve()));
    } catch (RunSettings.InvalidSettings | ConfigException e) {
      throw new UserError("invalid settings: " + e.getMessage());
    }
  }

  /** {@code key=value} pairs (keys relative to {@code autodidact}) as one config; later pairs lose. */
  static Config overrides(List<String> sets) {
    Config overrides = ConfigFactory.empty();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new UserError("--set takes key=value (e.g. --set rewards.w_dp=0), not '" + set + "'");
      }
      try {
        overrides = overrides.withFallback(
            ConfigFactory.parseString(set.substring(0, eq).strip() + " = " + set.substring(eq + 1).strip()));
      } catch (ConfigException e) {
        throw new UserError("--set " + set + ": " + e.getMessage());
      }
    }
    return overrides;
  }

  /**
   * Resolves a relative {@code model.torchscript} against the working directory now, so the
   * recorded settings name the file a resumed run (started elsewhere) would load.
   */
  private static Config withAbsoluteTorchScript(Config config) {
    String key = "autodidact.model.torchscript";
    String value = config.getString(key).strip();
    if (value.isEmpty()) {
      return config;
    }
    try {
      String absolute = Path.of(value).toAbsolutePath().normalize().toString();
      return config.withValue(key, ConfigValueFactory.fromAnyRef(absolute));
    } catch (InvalidPathException e) {
      throw new UserError(key + " is not a valid path: " + e.getMessage());
    }
  }

  /** The settings a run directory recorded when the run began. */
  static RunSettings recorded(RunDirectory dir) {
    try {
      return RunSettings.fromRendered(Files.readString(dir.settings()));
    } catch (java.io.IOException | ConfigException | RunSettings.InvalidSettings e) {
      throw new UserError("cannot read " + dir.settings() + ": " + e.getMessage());
    }
  }
}

package dev.autodidact.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodidact.sandbox.HostCheck;
import dev.autodidact.sandbox.SandboxConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code autodidact sandbox check-host}: can this host jail generated programs, and how well. */
@Command(name = "check-host", mixinStandardHelpOptions = true,
    description = "Start one jailed sandbox worker and print, as JSON, the isolation layers it got"
        + " (exit 0), or what is missing and how to fix it (exit 2).")
final class SandboxCheckHostCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Main.logTo(BaseModels.defaultHome().resolve("autodidact.log"));
    Map<String, Object> report = HostCheck.run(SandboxConfig.defaults());
    spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(report));
    return Boolean.TRUE.equals(report.get("ok")) ? 0 : 2;
  }
}

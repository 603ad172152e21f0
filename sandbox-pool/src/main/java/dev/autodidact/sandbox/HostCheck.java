package dev.autodidact.sandbox;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this host can do for the sandbox: for `autodidact sandbox check-host` and the README's
 * "check a host" step. It starts one real worker with full isolation required and reports
 * the layers that worker applied, or the one-line reason the jail could not be entered.
 */
public final class HostCheck {

    private HostCheck() {}

    /** A JSON-ready report: {@code ok}, {@code python}, {@code layers} or {@code error}, {@code fix}. */
    public static Map<String, Object> run(SandboxConfig config) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("python", config.python().toString());
        report.put("kernel", System.getProperty("os.version"));
        report.put("arch", System.getProperty("os.arch"));
        report.put("jvm_user", ProcessHandle.current().info().user().orElse("?"));
        if (!Files.isExecutable(config.python())) {
            report.put("ok", false);
            report.put("error", "Python interpreter not found: " + config.python());
            report.put("fix", "apt-get install python3 (the sandbox uses Debian's /usr/bin/python3)");
            return report;
        }
        try (SandboxPool pool = SandboxPool.start(config.withWorkers(1).withAllowWeakIsolation(false))) {
            ExecResult probe = pool.evaluate("", "6 * 7").join();
            report.put("ok", probe.ok() && "42".equals(probe.result()));
            report.put("layers", pool.isolation().layers());
        } catch (IllegalStateException e) {
            report.put("ok", false);
            report.put("error", e.getMessage());
            report.put("fix", "needs Linux >= 5.13 with user namespaces (sysctl user.max_user_namespaces > 0),"
                    + " Landlock in the kernel's lsm= list and seccomp on x86_64; inside a container, allow"
                    + " unshare/mount in a new user namespace (e.g. docker --security-opt seccomp=unconfined)");
        }
        return report;
    }
}

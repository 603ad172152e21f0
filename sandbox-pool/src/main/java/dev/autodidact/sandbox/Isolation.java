package dev.autodidact.sandbox;

import java.util.Map;
import java.util.Objects;

/**
 * The isolation a worker process reached, as it reported it after entering its jail.
 *
 * @param weakness null when every layer of jail.py was applied; otherwise the one-line reason
 *                 the jail failed, and the worker runs with the weaker fallback (only allowed
 *                 when the pool was started with {@link SandboxConfig#allowWeakIsolation()})
 * @param layers   the worker's own report: namespaces, uid, filesystem, Landlock ABI, seccomp
 */
public record Isolation(String weakness, Map<String, Object> layers) {

    public Isolation {
        layers = Map.copyOf(Objects.requireNonNull(layers, "layers"));
    }

    static Isolation fromHello(Map<String, Object> report) {
        Object weak = report.get("weak");
        return new Isolation(weak == null ? null : weak.toString(), report);
    }

    /** True when every layer is in place: namespaces, read-only root, Landlock, seccomp, rlimits. */
    public boolean complete() {
        return weakness == null;
    }

    /** One line for logs. */
    public String describe() {
        if (!complete()) {
            return "WEAK (" + weakness + "): only " + layers.get("layers");
        }
        return "namespaces " + layers.get("namespaces") + ", uid " + layers.get("uid") + " (outside "
                + layers.get("outside_uid") + "), " + layers.get("filesystem") + ", capabilities "
                + layers.get("capabilities") + ", landlock ABI " + layers.get("landlock_abi") + " "
                + layers.get("landlock") + ", seccomp " + layers.get("seccomp") + ", rlimits";
    }
}

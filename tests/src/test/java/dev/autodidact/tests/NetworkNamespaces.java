package dev.autodidact.tests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A little network of Linux network namespaces for partition tests: a bridge in this
 * namespace with address {@code 10.77.S.254}, and per node a namespace {@code ad<S>-<i>}
 * joined to it by a veth pair, with address {@code 10.77.S.<i>}. {@link #cut} takes a node's
 * link down (a real partition: its packets go nowhere), {@link #heal} brings it back. Needs
 * root (CAP_NET_ADMIN) and {@code ip}; {@link #available()} says whether this host allows it.
 */
final class NetworkNamespaces implements AutoCloseable {
  private final int subnet;
  private final int nodes;
  private final String bridge;

  private NetworkNamespaces(int subnet, int nodes) {
    this.subnet = subnet;
    this.nodes = nodes;
    this.bridge = "adbr" + subnet;
  }

  /** Whether namespaces and veth pairs can be made here. */
  static boolean available() {
    String probe = "adprobe" + ThreadLocalRandom.current().nextInt(1000);
    try {
      boolean made = run("ip", "netns", "add", probe) == 0;
      if (made) {
        run("ip", "netns", "del", probe);
      }
      return made && run("ip", "link", "add", probe + "a", "type", "veth", "peer", "name", probe + "b") == 0
          && run("ip", "link", "del", probe + "a") == 0;
    } catch (IOException e) {
      return false;
    }
  }

  static NetworkNamespaces create(int nodes) throws IOException {
    NetworkNamespaces net = new NetworkNamespaces(ThreadLocalRandom.current().nextInt(100, 250), nodes);
    try {
      net.must("ip", "link", "add", net.bridge, "type", "bridge");
      net.must("ip", "addr", "add", "10.77." + net.subnet + ".254/24", "dev", net.bridge);
      net.must("ip", "link", "set", net.bridge, "up");
      for (int i = 1; i <= nodes; i++) {
        String ns = net.namespace(i);
        String host = net.hostLink(i);
        net.must("ip", "netns", "add", ns);
        net.must("ip", "link", "add", host, "type", "veth", "peer", "name", "eth" + i, "netns", ns);
        net.must("ip", "link", "set", host, "master", net.bridge);
        net.must("ip", "link", "set", host, "up");
        net.must("ip", "netns", "exec", ns, "ip", "addr", "add", net.address(i) + "/24", "dev", "eth" + i);
        net.must("ip", "netns", "exec", ns, "ip", "link", "set", "eth" + i, "up");
        net.must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      }
      return net;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /** This namespace's address on the bridge. */
  String hostAddress() {
    return "10.77." + subnet + ".254";
  }

  String address(int node) {
    return "10.77." + subnet + "." + node;
  }

  String namespace(int node) {
    return "ad" + subnet + "-" + node;
  }

  /** The command, run inside node {@code node}'s namespace. */
  List<String> inside(int node, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Partitions node {@code node} from everyone. */
  void cut(int node) throws IOException {
    must("ip", "link", "set", hostLink(node), "down");
  }

  void heal(int node) throws IOException {
    must("ip", "link", "set", hostLink(node), "up");
  }

  private String hostLink(int node) {
    return "adv" + subnet + "x" + node;
  }

  @Override
  public void close() {
    for (int i = 1; i <= nodes; i++) {
      quietly("ip", "netns", "del", namespace(i));
      quietly("ip", "link", "del", hostLink(i));
    }
    quietly("ip", "link", "del", bridge);
  }

  private void must(String... command) throws IOException {
    if (run(command) != 0) {
      throw new IOException("failed: " + String.join(" ", command));
    }
  }

  private static void quietly(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      // cleaning up: nothing to do
    }
  }

  private static int run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}

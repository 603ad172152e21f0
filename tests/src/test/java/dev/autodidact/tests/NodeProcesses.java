package dev.autodidact.tests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the cluster tests do with node processes: their addresses and their HTTP endpoints. */
final class NodeProcesses {
  private static final Pattern ADDRESS = Pattern.compile("node akka://autodidact@([0-9.]+:[0-9]+) ");

  private NodeProcesses() {}

  /** The HOST:PORT an {@code autodidact node} prints to {@code out} once it is up. */
  static String awaitAddress(Process node, Path out) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (Files.exists(out)) {
        Matcher matcher = ADDRESS.matcher(Files.readString(out));
        if (matcher.find()) {
          return matcher.group(1);
        }
      }
      if (!node.isAlive()) {
        throw new AssertionError("the node exited: " + Files.readString(out));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the node printed no address within two minutes");
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The response to GET {@code path} on a local port; null while nothing answers there. */
  static HttpResponse<String> get(int port, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The body of GET {@code path}; empty while nothing answers. */
  static String body(int port, String path) {
    HttpResponse<String> response = get(port, path);
    return response == null ? "" : response.body();
  }

  /** The status of GET {@code path}; 0 while nothing answers. */
  static int status(int port, String path) {
    HttpResponse<String> response = get(port, path);
    return response == null ? 0 : response.statusCode();
  }
}

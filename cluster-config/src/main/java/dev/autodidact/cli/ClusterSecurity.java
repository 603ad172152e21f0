package dev.autodidact.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * TLS for the cluster's remoting: every node presents the key in its key store and accepts
 * only peers whose certificate its trust store holds (mutual authentication), over TLS 1.3.
 * The password is read from a file, never from the command line (which other users can see).
 */
public record ClusterSecurity(Path keyStore, Path trustStore, Path passwordFile) {

  /** Null when no TLS option is given; all three or none. */
  public static ClusterSecurity of(Path keyStore, Path trustStore, Path passwordFile) {
    if (keyStore == null && trustStore == null && passwordFile == null) {
      return null;
    }
    if (keyStore == null || trustStore == null || passwordFile == null) {
      throw new UserError("TLS needs --tls-key-store, --tls-trust-store and --tls-password-file together");
    }
    for (Path file : List.of(keyStore, trustStore, passwordFile)) {
      if (!Files.isReadable(file)) {
        throw new UserError(file + " cannot be read; TLS needs the node's key store, the trust store and a file"
            + " with their password");
      }
    }
    ClusterSecurity security =
        new ClusterSecurity(keyStore.toAbsolutePath(), trustStore.toAbsolutePath(), passwordFile.toAbsolutePath());
    // Open both stores now: a wrong password or a damaged file is a one-line error at start,
    // not a node that prints "up" and then fails every handshake.
    String password = security.password();
    security.open(keyStore, password, "key store");
    security.open(trustStore, password, "trust store");
    return security;
  }

  private String password() {
    try {
      return Files.readString(passwordFile).strip();
    } catch (IOException e) {
      throw new UserError("cannot read " + passwordFile + ": " + e.getMessage());
    }
  }

  private void open(Path store, String password, String what) {
    try (var in = Files.newInputStream(store)) {
      java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
      keys.load(in, password.toCharArray());
      if (keys.size() == 0) {
        throw new UserError(store + " holds no key or certificate; make the " + what + " with keytool");
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new UserError("cannot open the " + what + " " + store + " (a PKCS12 file, with the password in "
          + passwordFile + "): " + e.getMessage());
    }
  }

  /** Artery over TLS with this node's stores. */
  public Config config() {
    String password = password();
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.empty()
        .withValue("akka.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(keyStore.toString()))
        .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(trustStore.toString()))
        .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(engine + "protocol", ConfigValueFactory.fromAnyRef("TLSv1.3"))
        .withValue(engine + "enabled-algorithms",
            ConfigValueFactory.fromIterable(List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256")))
        .withValue(engine + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true));
  }
}

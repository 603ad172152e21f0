package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecurityTest {
  @TempDir
  Path temp;

  @Test
  void aDamagedKeyStoreIsRefusedInOneLineAtStart() throws Exception {
    Path store = Files.writeString(temp.resolve("node.p12"), "not a key store");
    Path password = Files.writeString(temp.resolve("password"), "secret\n");
    assertThatThrownBy(() -> ClusterSecurity.of(store, store, password))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("cannot open the key store " + store)
        .hasMessageNotContaining("\n");
  }

  @Test
  void theThreeFilesGoTogether() {
    assertThatThrownBy(() -> ClusterSecurity.of(temp.resolve("a"), null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("together");
  }
}

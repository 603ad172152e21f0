package dev.autodidact.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreContractTest extends BlobsContract {

  @TempDir Path root;

  @Override
  Blobs emptyStore() throws Exception {
    return new BlobStore(root);
  }

  @Override
  void damage(String sha256, byte[] replacement) throws Exception {
    Files.write(root.resolve(sha256.substring(0, 2)).resolve(sha256), replacement);
  }
}

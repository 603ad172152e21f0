package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExternalPostgresTest {
  @Test
  void credentialsComeFromTheUrlsParameters() {
    String url = "jdbc:postgresql://db:5432/autodidact?user=trainer&password=s%26cret&ssl=false";
    assertThat(ExternalPostgres.parameter(url, "user")).isEqualTo("trainer");
    assertThat(ExternalPostgres.parameter(url, "password")).isEqualTo("s&cret");
    assertThat(ExternalPostgres.parameter(url, "missing")).isEmpty();
    assertThat(ExternalPostgres.parameter("jdbc:postgresql://db/x", "user")).isEmpty();
  }

  @Test
  void aUrlThatIsNotPostgresIsRefusedInOneLine() {
    assertThatThrownBy(() -> ExternalPostgres.connect("jdbc:mysql://db/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the journal URL must look like jdbc:postgresql://");
  }

  @Test
  void anUnreachableServerIsReportedWithoutItsPassword() {
    assertThatThrownBy(() -> ExternalPostgres.connect("jdbc:postgresql://127.0.0.1:1/x?user=u&password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot reach the journal database jdbc:postgresql://127.0.0.1:1/x:")
        .hasMessageEndingWith("; start it, or fix --journal-url")
        .hasMessageNotContaining("secret");
  }
}

package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench model --quick} end to end through {@link Main}, on the real engine. */
class BenchModelIT {
  static final List<String> POSITIVE_NUMBERS = List.of(
      "matmul_peak_gflops", "train_tokens_per_s_1m", "train_mfu_1m", "train_tokens_per_s_5m", "train_mfu_5m",
      "sample_tokens_per_s_b1_kv", "sample_tokens_per_s_b16_kv", "sample_tokens_per_s_b64_kv",
      "sample_tokens_per_s_b64_nokv", "kv_batch_speedup", "kv_vs_nokv_speedup_b64", "sample_tokens_per_s_b1_onnx",
      "sample_tokens_per_s_b64_onnx", "onnx_vs_djl_sampling", "onnx_vs_djl_sampling_b1", "onnx_export_and_load_s",
      "threads", "cores",
      "params_1m", "params_5m", "train_flops_per_token_1m", "train_flops_per_token_5m");

  @Test
  void quickRunPrintsEveryKeyWithPositiveNumbers() throws Exception {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      exitCode = Main.run(new String[] {"bench", "model", "--quick"});
    } finally {
      System.setOut(originalOut);
    }

    assertThat(exitCode).isZero();
    JsonNode json = MetricsFiles.JSON.readTree(stdout.toString(StandardCharsets.UTF_8));
    for (String key : POSITIVE_NUMBERS) {
      assertThat(json.get(key)).as(key).isNotNull();
      assertThat(json.get(key).isNumber()).as(key + " is a number").isTrue();
      assertThat(json.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(json.get("params_1m").asLong()).isBetween(500_000L, 1_500_000L);
    assertThat(json.get("params_5m").asLong()).isBetween(3_000_000L, 7_000_000L);
    assertThat(json.get("onnx_provider").asText()).isIn("CPU", "CUDA");
    assertThat(json.get("onnx_note").asText()).contains("batch 64");
    assertThat(json.get("flops_formula").asText()).contains("6*N");
    assertThat(json.get("device").asText()).isNotBlank();
    assertThat(json.get("quick").asBoolean()).isTrue();
    assertThat(json.get("load_average").has("start_1min")).isTrue();
    assertThat(json.get("load_average").has("end_1min")).isTrue();
  }
}

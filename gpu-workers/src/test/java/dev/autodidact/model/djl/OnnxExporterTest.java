package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.model.GptConfig;
import dev.autodidact.model.OnnxSignature;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.djl.proto.Onnx;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OnnxExporterTest {

  @Test
  void theSameWeightsGiveTheSameBytes() {
    try (Policy policy = TinyPolicies.create(51)) {
      policy.supervisedStep(List.of(TinyPolicies.randomTokens(1, 50)), OptimizerConfig.defaults());
      byte[] first = Policies.exportOnnx(policy);
      assertThat(Policies.exportOnnx(policy)).isEqualTo(first);
      try (Policy restored = Policies.restore(policy.checkpoint(), 2)) {
        assertThat(Policies.exportOnnx(restored)).isEqualTo(first);
      }
      policy.supervisedStep(List.of(TinyPolicies.randomTokens(2, 50)), OptimizerConfig.defaults());
      assertThat(Policies.exportOnnx(policy)).isNotEqualTo(first);
    }
  }

  @Test
  void theModelDeclaresTheSignatureAndHoldsTheCheckpointTensors() throws Exception {
    GptConfig config = GptConfig.tiny();
    try (Policy policy = TinyPolicies.create(52)) {
      Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Policies.exportOnnx(policy));
      assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(OnnxSignature.OPSET);
      Onnx.GraphProto graph = model.getGraph();
      assertThat(names(graph.getInputList())).containsExactly(
          "input_ids", "position_ids", "attention_mask",
          "past_key_0", "past_value_0", "past_key_1", "past_value_1");
      assertThat(names(graph.getOutputList())).containsExactly(
          "logits", "log_probs",
          "present_key_0", "present_value_0", "present_key_1", "present_value_1");
      List<String> initializers = graph.getInitializerList().stream()
          .map(Onnx.TensorProto::getName).toList();
      for (TensorSpec spec : GptParameters.layout(config)) {
        assertThat(initializers).contains(spec.name());
      }
      Map<String, String> metadata = model.getMetadataPropsList().stream().collect(
          Collectors.toMap(Onnx.StringStringEntryProto::getKey, Onnx.StringStringEntryProto::getValue));
      assertThat(metadata).containsEntry(OnnxSignature.METADATA_POLICY_VERSION, "0")
          .containsEntry(OnnxSignature.METADATA_CONTEXT_LENGTH, "256")
          .containsEntry(OnnxSignature.METADATA_LAYERS, "2");
    }
  }

  @Test
  void aBadCheckpointIsRefusedInOneLine() {
    byte[] garbage = new byte[200];
    garbage[0] = 'X';
    assertThatThrownBy(() -> OnnxExporter.export(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a policy checkpoint: bad magic bytes");
  }

  private static List<String> names(List<Onnx.ValueInfoProto> values) {
    return values.stream().map(Onnx.ValueInfoProto::getName).toList();
  }
}

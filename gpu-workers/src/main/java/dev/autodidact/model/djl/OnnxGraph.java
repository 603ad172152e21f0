package dev.autodidact.model.djl;

import com.google.protobuf.ByteString;
import dev.autodidact.model.djl.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builds one ONNX graph: initializers, typed inputs and outputs, and nodes in the order they
 * are added (which must be topological). A node is named after its first output, and values
 * are named by the caller, so the graph reads like the code that wrote it.
 */
final class OnnxGraph {
  static final int FLOAT = Onnx.TensorProto.DataType.FLOAT_VALUE;
  static final int INT64 = Onnx.TensorProto.DataType.INT64_VALUE;

  private final Onnx.GraphProto.Builder graph;

  OnnxGraph(String name, String doc) {
    graph = Onnx.GraphProto.newBuilder().setName(name).setDocString(doc);
  }

  /** A node with one output; returns the output's name. */
  String op(String opType, String output, List<Onnx.AttributeProto> attributes, String... inputs) {
    ops(opType, List.of(output), attributes, inputs);
    return output;
  }

  String op(String opType, String output, String... inputs) {
    return op(opType, output, List.of(), inputs);
  }

  void ops(String opType, List<String> outputs, List<Onnx.AttributeProto> attributes,
      String... inputs) {
    graph.addNode(Onnx.NodeProto.newBuilder()
        .setName(outputs.get(0))
        .setOpType(opType)
        .addAllInput(List.of(inputs))
        .addAllOutput(outputs)
        .addAllAttribute(attributes));
  }

  static Onnx.AttributeProto intAttribute(String name, long value) {
    return Onnx.AttributeProto.newBuilder()
        .setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
  }

  static Onnx.AttributeProto intsAttribute(String name, long... values) {
    Onnx.AttributeProto.Builder attribute = Onnx.AttributeProto.newBuilder()
        .setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      attribute.addInts(v);
    }
    return attribute.build();
  }

  static Onnx.AttributeProto floatAttribute(String name, float value) {
    return Onnx.AttributeProto.newBuilder()
        .setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  /** A float32 initializer, row-major; a scalar when {@code dims} is empty. */
  String floats(String name, long[] dims, float... values) {
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return initializer(name, FLOAT, dims, raw);
  }

  /** An int64 initializer, row-major; a scalar when {@code dims} is empty. */
  String longs(String name, long[] dims, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return initializer(name, INT64, dims, raw);
  }

  private String initializer(String name, int dataType, long[] dims, ByteBuffer raw) {
    Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder()
        .setName(name).setDataType(dataType).setRawData(ByteString.copyFrom(raw.array()));
    for (long d : dims) {
      tensor.addDims(d);
    }
    graph.addInitializer(tensor);
    return name;
  }

  /** Declares a graph input; each dimension is a fixed size (a Number) or a symbolic name. */
  String input(String name, int elementType, Object... dims) {
    graph.addInput(valueInfo(name, elementType, dims));
    return name;
  }

  void output(String name, int elementType, Object... dims) {
    graph.addOutput(valueInfo(name, elementType, dims));
  }

  private static Onnx.ValueInfoProto valueInfo(String name, int elementType, Object... dims) {
    Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
    for (Object d : dims) {
      Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Number size) {
        dim.setDimValue(size.longValue());
      } else {
        dim.setDimParam(d.toString());
      }
      shape.addDim(dim);
    }
    return Onnx.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(Onnx.TypeProto.newBuilder().setTensorType(
            Onnx.TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape)))
        .build();
  }

  Onnx.GraphProto build() {
    return graph.build();
  }
}

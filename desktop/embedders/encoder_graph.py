"""An onnxruntime graph of the packed e5 encoder, with 8-bit or 32-bit float weights.

In the int8 graph the 4-bit weights are expanded once and re-quantised to int8 with one
scale per output column, and every activation is quantised per batch on the fly
(onnxruntime fuses this into its integer matrix kernels); token vectors stay within cosine
0.999 of float32 (docs/retrieval.md). The float32 graph multiplies the expanded weights as
they are. Which is faster depends on the processor's integer instructions (VNNI or not):
`desktop.embedders.precision` chooses, and docs/benchmarks.md has the figures.

Graph inputs: `embeddings` float32 [batch, length, hidden] (word + position + type, before
the first layer norm) and `attention_mask` int64 [batch, length]. Output: `hidden`, the
last layer's token vectors.
"""

from __future__ import annotations

from typing import Any

from desktop.embedders.e5_format import PackedE5, dequantize, matrix

_OPSET = 17
# Part of the cached graph's file name: change it whenever the graph built here changes.
GRAPH_VERSION = 1


INT8 = "int8"
FLOAT32 = "float32"
PRECISIONS = (INT8, FLOAT32)

# A layer input: the float tensor's name, or its (quantised, scale, zero point) names.
Input = str | tuple[str, str, str]


class _Builder:
    def __init__(self, precision: str) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.precision = precision

    def constant(self, name: str, array: Any) -> str:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        from onnx import helper

        domain = "com.microsoft" if attributes.pop("contrib", False) else ""
        self.nodes.append(helper.make_node(op, inputs, [output], domain=domain, **attributes))
        return output

    def quantise(self, x: str) -> Input:
        """The input of the linear layers that read `x` (quantised once for the int8 graph)."""
        from onnx import helper

        if self.precision == FLOAT32:
            return x
        names = (f"{x}.q", f"{x}.scale", f"{x}.zero")
        self.nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(names)))
        return names

    def linear(self, x: Input, weight: Any, bias: Any, name: str) -> str:
        """y = x @ weight.T + bias: int8 weights with one scale per output, or float32."""
        import numpy as np

        columns = np.ascontiguousarray(weight.T)
        if isinstance(x, str):
            product = self.node(
                "MatMul", [x, self.constant(f"{name}.w", columns.astype(np.float32))], f"{name}.m"
            )
            return self.node("Add", [product, self.constant(f"{name}.b", bias.copy())], name)
        scale = np.abs(columns).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(columns / scale), -127, 127).astype(np.int8)
        zero = np.zeros(q.shape[1], dtype=np.int8)
        product = self.node(
            "MatMulInteger",
            [x[0], self.constant(f"{name}.w", q), x[2], self.constant(f"{name}.wz", zero)],
            f"{name}.int",
        )
        as_float = self.node("Cast", [product], f"{name}.f", to=1)
        step = self.node(
            "Mul", [x[1], self.constant(f"{name}.ws", scale.astype(np.float32))], f"{name}.s"
        )
        scaled = self.node("Mul", [as_float, step], f"{name}.m")
        return self.node("Add", [scaled, self.constant(f"{name}.b", bias.copy())], name)


def build_encoder(model: PackedE5, precision: str = INT8) -> bytes:
    """Serialised ONNX model of the encoder in `precision` (int8 or float32; a second or
    two, done once per data folder: the graph is cached)."""
    from onnx import TensorProto, helper

    s = model.shape
    t = model.tensors
    g = _Builder(precision)
    ln = {"epsilon": s.eps, "contrib": True}
    g.node("Cast", ["attention_mask"], "mask32", to=TensorProto.INT32)
    g.constant("ln0.w", t["emb.ln.w"].copy())
    g.constant("ln0.b", t["emb.ln.b"].copy())
    x = g.node("LayerNormalization", ["embeddings", "ln0.w", "ln0.b"], "h0", epsilon=s.eps)
    for n in range(s.layers):
        p = f"l{n}."

        def weights(part: str, rows: int, prefix: str = p) -> Any:
            return dequantize(matrix(model, f"{prefix}{part}.w", rows))

        xq = g.quantise(x)
        q = g.linear(xq, weights("q", s.hidden), t[f"{p}q.b"], f"{p}Q")
        k = g.linear(xq, weights("k", s.hidden), t[f"{p}k.b"], f"{p}K")
        v = g.linear(xq, weights("v", s.hidden), t[f"{p}v.b"], f"{p}V")
        context = g.node(
            "MultiHeadAttention",
            [q, k, v, "", "mask32"],
            f"{p}ctx",
            num_heads=s.heads,
            contrib=True,
        )
        attended = g.linear(g.quantise(context), weights("ao", s.hidden), t[f"{p}ao.b"], f"{p}AO")
        g.constant(f"{p}aln.w", t[f"{p}aln.w"].copy())
        g.constant(f"{p}aln.b", t[f"{p}aln.b"].copy())
        x = g.node(
            "SkipLayerNormalization", [attended, x, f"{p}aln.w", f"{p}aln.b"], f"{p}h1", **ln
        )
        inner = g.linear(g.quantise(x), weights("fi", s.ffn), t[f"{p}fi.b"], f"{p}FI")
        activated = g.node("Gelu", [inner], f"{p}G", contrib=True)
        out = g.linear(g.quantise(activated), weights("fo", s.hidden), t[f"{p}fo.b"], f"{p}FO")
        g.constant(f"{p}oln.w", t[f"{p}oln.w"].copy())
        g.constant(f"{p}oln.b", t[f"{p}oln.b"].copy())
        x = g.node("SkipLayerNormalization", [out, x, f"{p}oln.w", f"{p}oln.b"], f"{p}h2", **ln)
    g.node("Identity", [x], "hidden")
    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["B", "L", s.hidden]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["B", "L"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["B", "L", s.hidden])],
        g.initializers,
    )
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", _OPSET), helper.make_opsetid("com.microsoft", 1)],
    )
    onnx_model.ir_version = 9
    serialised: bytes = onnx_model.SerializeToString()
    return serialised

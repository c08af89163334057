"""The sentence model's transformer layers run in 8-bit integers by ONNX Runtime.

In float32 NumPy a message costs 6-26 ms, most of it spent streaming 42 MB of
layer weights through the CPU for a handful of tokens. Stored as int8 the
weights are a quarter of that, and ONNX Runtime multiplies them with integer
kernels: about 1 ms for a short question, 3 ms for 30 tokens, and the same
answers on the measured questions but one in a few hundred
(docs/understanding.md). The graph is built here from the BERT weights the
encoder already holds, quantised once, and kept in the cache folder, so no
converted model has to be downloaded or trusted.

Optional: with ``onnx`` and ``onnxruntime`` missing, the encoder stays on NumPy.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from bot.core.cachefiles import load, store

log = logging.getLogger("healthbot.sentence_model")

_FILE = "layers-int8-"


def available() -> bool:
    """Whether the libraries for the int8 layers are installed (found, not imported: importing
    the quantiser costs 24 MB, needed only on the start that builds the graph)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def cached(cache_dir: str | os.PathLike[str] | None, digest: str) -> Callable[[Any], Any] | None:
    """The runner of the graph built before for the model named by ``digest``, if the cache
    folder has it whole; None means build it (a damaged file costs only that)."""
    return load(_path(cache_dir, digest), lambda path: runner(path.read_bytes()), log)


def keep(cache_dir: str | os.PathLike[str] | None, digest: str, graph: bytes) -> None:
    """Store ``graph`` for the next start, in place of any other model's."""
    path = _path(cache_dir, digest)
    if path is not None:  # unwritten, it costs only the second or two of quantising next time
        store(path, lambda out: out.write(graph), f"{_FILE}*.onnx", log)


def build(weights: dict[str, Any], layers: int, heads: int, eps: float) -> bytes:
    """The encoder layers of a BERT model (weights by BERT name, stored (in, out)) as an int8 graph."""
    return _quantised(_graph(weights, layers, heads, eps))


def runner(graph: bytes) -> Callable[[Any], Any]:
    """A function from the embedded tokens (n, d) to the last layer's token vectors (n, d)."""
    import numpy as np
    import onnxruntime as ort

    options = ort.SessionOptions()
    # One message's products are small: a thread per core costs more than it gives, and under
    # gunicorn's threads they would fight for the cores (as BLAS threads did).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def run(x: Any) -> Any:
        return session.run(None, {"x": np.ascontiguousarray(x, dtype=np.float32)})[0]

    return run


def _path(cache_dir: str | os.PathLike[str] | None, digest: str) -> Path | None:
    return Path(cache_dir) / f"{_FILE}{digest}.onnx" if cache_dir else None


def _graph(w: dict[str, Any], layers: int, heads: int, eps: float) -> Any:
    """The BERT encoder layers as an ONNX graph in float32, weights as initializers."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    nodes: list[Any] = []
    inits: list[Any] = []
    d = int(w["encoder.layer.0.attention.self.query.weight"].shape[0])
    size = d // heads

    def const(name: str, value: Any) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def linear(x: str, name: str, out: str) -> str:
        product = node("MatMul", [x, const(name + ".weight", w[name + ".weight"])], out + "/matmul")
        return node("Add", [product, const(name + ".bias", w[name + ".bias"])], out)

    def norm(x: str, name: str, out: str) -> str:
        return node("LayerNormalization", [x, const(name + ".weight", w[name + ".weight"]),
                                           const(name + ".bias", w[name + ".bias"])], out, axis=-1, epsilon=eps)

    split = const("split_heads", np.array([0, heads, size], dtype=np.int64))
    join = const("join_heads", np.array([0, d], dtype=np.int64))
    scale = const("scale", np.array(1.0 / size ** 0.5, dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    one = const("one", np.array(1.0, dtype=np.float32))
    root2 = const("root2", np.array(2.0 ** 0.5, dtype=np.float32))
    x = "x"
    for i in range(layers):
        p = f"encoder.layer.{i}."
        q, k, v = (node("Reshape", [linear(x, p + f"attention.self.{n}", f"l{i}/{n}"), split], f"l{i}/{n}/heads")
                   for n in ("query", "key", "value"))
        q = node("Transpose", [q], f"l{i}/q/t", perm=[1, 0, 2])
        k = node("Transpose", [k], f"l{i}/k/t", perm=[1, 2, 0])
        v = node("Transpose", [v], f"l{i}/v/t", perm=[1, 0, 2])
        a = node("Softmax", [node("Mul", [node("MatMul", [q, k], f"l{i}/qk"), scale], f"l{i}/scaled")],
                 f"l{i}/attention", axis=-1)
        context = node("Transpose", [node("MatMul", [a, v], f"l{i}/av")], f"l{i}/av/t", perm=[1, 0, 2])
        context = node("Reshape", [context, join], f"l{i}/context")
        attended = linear(context, p + "attention.output.dense", f"l{i}/attended")
        x = norm(node("Add", [x, attended], f"l{i}/residual1"), p + "attention.output.LayerNorm", f"l{i}/x1")
        h = linear(x, p + "intermediate.dense", f"l{i}/h")
        # GELU, exact (erf) form, as BERT was trained with.
        erf = node("Erf", [node("Div", [h, root2], f"l{i}/h/root2")], f"l{i}/erf")
        h = node("Mul", [node("Mul", [h, node("Add", [erf, one], f"l{i}/erf1")], f"l{i}/gelu0"), half], f"l{i}/gelu")
        out = linear(h, p + "output.dense", f"l{i}/out")
        x = norm(node("Add", [x, out], f"l{i}/residual2"), p + "output.LayerNorm", f"l{i}/x2")
    nodes.append(helper.make_node("Identity", [x], ["y"], name="y"))
    graph = helper.make_graph(
        nodes, "bert-layers",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", d])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", d])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _quantised(model: Any) -> bytes:
    """Weights of the dense layers stored as int8; activations quantised on the fly per message."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    weighted = [n.name for n in model.graph.node if n.op_type == "MatMul" and n.name.endswith("/matmul")]
    with tempfile.TemporaryDirectory(prefix="healthbot-int8-") as folder:
        source, target = Path(folder) / "float.onnx", Path(folder) / "int8.onnx"
        onnx.save(model, str(source))
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # its advice to pre-process is for image models, not this graph
        try:
            # One scale per output column: a scale per matrix moved vectors 5% (cosine 0.95), this 0.6%.
            quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                             nodes_to_quantize=weighted)
        finally:
            root.setLevel(level)
        return target.read_bytes()


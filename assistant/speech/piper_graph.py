"""Cutting a Piper voice's ONNX graph in two where its decoder begins (the `onnx` library).

Used only by the child that splits a voice once (piper_parts.py): loading a graph with `onnx`
holds it in memory several times over, which the service should never do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def cut_at_decoder(model: Path, encoder: Path, decoder: Path, weight: str) -> dict[str, Any]:
    """Write the part before the decoder and the decoder itself as two models; the layout says
    which tensor is the latent (cut into windows) and which others the decoder takes whole (a
    speaker's embedding). The encoder part gives those, then the voice's other outputs."""
    import onnx
    from onnx import helper

    proto = onnx.load(str(model))
    graph = proto.graph
    start = next((node for node in graph.node if node.op_type == "Conv" and weight in node.input), None)
    if start is None:
        raise ValueError(f"no decoder (a Conv with {weight}) in the graph")
    latent = start.input[0]
    after = _downstream(graph, latent)
    made_after = {out for node in after for out in node.output}
    constants = {tensor.name for tensor in graph.initializer}
    needed = [name for node in after for name in node.input
              if name and name not in made_after and name not in constants]
    passed = [name for name in dict.fromkeys(needed) if name != latent]
    audio, *extra = [output.name for output in graph.output]
    if audio not in made_after or any(name in made_after for name in extra):
        raise ValueError("the voice's audio is not the decoder's alone")
    before = [node for node in graph.node if not made_after.intersection(node.output)]

    def part(nodes: list[Any], inputs: list[Any], outputs: list[Any], name: str) -> Any:
        used = {name for node in nodes for name in node.input}
        sub = helper.make_graph(nodes, name, inputs, outputs,
                                initializer=[t for t in graph.initializer if t.name in used])
        return helper.make_model(sub, opset_imports=proto.opset_import, ir_version=proto.ir_version,
                                 producer_name="assistant piper_parts")

    def tensor(name: str) -> Any:
        return helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)

    graph_inputs = {given.name for given in graph.input}
    extra_outputs = [output for output in graph.output if output.name in extra]
    from_encoder = [latent, *(name for name in passed if name not in graph_inputs)]
    if len(from_encoder) != 1 + len(passed):
        raise ValueError("the decoder reads the voice's inputs directly")
    onnx.save(part(before, list(graph.input), [tensor(n) for n in from_encoder] + extra_outputs, "encoder"),
              str(encoder))
    onnx.save(part(after, [tensor(n) for n in from_encoder], [graph.output[0]], "decoder"), str(decoder))
    return {"latent": latent, "passed": passed}


def _downstream(graph: Any, tensor: str) -> list[Any]:
    """The nodes that depend on `tensor`, in the graph's (topological) order."""
    reached, found = {tensor}, []
    for node in graph.node:
        if any(name in reached for name in node.input):
            found.append(node)
            reached.update(node.output)
    return found

"""An ONNX sentence-embedding folder: a tiny model and tokenizer built here, no downloads.

The model looks each token up in a table of one-hot rows, so the expected vectors are
known exactly: mean pooling averages the one-hot rows of the tokens, CLS pooling takes the
first token's row.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, pre_tokenizers, processors

from desktop.embedders.onnx_folder import OnnxFolderEmbedder
from desktop.embedders.runtime import EmbedderUnavailable

pytestmark = pytest.mark.integration

VOCAB = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "cat": 4, "dog": 5, "q": 6}
DIM = len(VOCAB)


def write_model(folder: Path, *, pooled_output: bool = False) -> None:
    table = numpy_helper.from_array(np.eye(DIM, dtype=np.float32), "table")
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["tokens"])]
    if pooled_output:
        nodes.append(helper.make_node("ReduceSum", ["tokens"], ["out"], axes=[1], keepdims=0))
        out = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["B", DIM])
    else:
        nodes.append(helper.make_node("Identity", ["tokens"], ["out"]))
        out = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["B", "L", DIM])
    graph = helper.make_graph(
        nodes,
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["B", "L"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["B", "L"]),
        ],
        [out],
        [table],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    model.ir_version = 8
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(model.SerializeToString())
    tokenizer = Tokenizer(models.WordLevel(VOCAB, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer.save(str(folder / "tokenizer.json"))


def onehot(*ids: int) -> list[float]:
    row = [0.0] * DIM
    for i in ids:
        row[i] += 1.0
    norm = math.sqrt(sum(x * x for x in row))
    return [x / norm for x in row]


def close(a: list[float], b: list[float]) -> bool:
    return all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(a, b, strict=True))


def test_mean_pooling_by_default(tmp_path: Path) -> None:
    write_model(tmp_path / "m")
    (tmp_path / "m" / "config.json").write_text(json.dumps({"hidden_size": DIM}))
    embedder = OnnxFolderEmbedder(tmp_path / "m")
    assert embedder.dimension == DIM
    vectors = embedder.embed_documents(["cat dog", "cat", "cat cat cat cat cat"])
    assert close(vectors[0], onehot(2, 4, 5, 3))
    assert close(vectors[1], onehot(2, 4, 3))  # padding in the batch is not averaged in
    assert close(vectors[2], onehot(2, 4, 4, 4, 4, 4, 3))
    assert embedder.embed_documents([]) == []
    assert embedder.embedder_id.startswith("onnx:m@")


def test_cls_pooling_prompts_and_truncation(tmp_path: Path) -> None:
    folder = tmp_path / "cls"
    write_model(folder)
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    (folder / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "q ", "passage": ""}})
    )
    embedder = OnnxFolderEmbedder(folder)
    assert embedder.dimension == DIM  # from the model's declared output
    assert close(embedder.embed_query("dog"), onehot(2))
    write_model(tmp_path / "mean")
    (tmp_path / "mean" / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "q "}})
    )
    (tmp_path / "mean" / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 3}))
    plain = OnnxFolderEmbedder(tmp_path / "mean")
    assert close(plain.embed_query("dog"), onehot(2, 6, 3))  # prefix kept, "dog" cut off
    assert close(plain.embed_documents(["dog cat"])[0], onehot(2, 5, 3))


def test_a_model_that_pools_itself(tmp_path: Path) -> None:
    write_model(tmp_path / "p", pooled_output=True)
    vector = OnnxFolderEmbedder(tmp_path / "p").embed_documents(["dog dog"])[0]
    assert close(vector, onehot(2, 5, 5, 3))


def test_a_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailable) as info:
        OnnxFolderEmbedder(tmp_path)
    assert "model.onnx" in info.value.hint


def test_a_broken_model_file_is_reported(tmp_path: Path) -> None:
    write_model(tmp_path / "b")
    (tmp_path / "b" / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(EmbedderUnavailable) as info:
        OnnxFolderEmbedder(tmp_path / "b").embed_documents(["cat"])
    assert "cannot be loaded" in info.value.message

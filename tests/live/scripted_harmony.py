"""A vLLM logits processor that makes the tiny random model of the live tier
say valid harmony: it forces, token by token, a reasoning part and a final
answer, or (when the request has tools) a reasoning part and a call of
get_weather, then answers once the result is there. A request whose last
message is "Go on" is left to the random
model (the abort test needs a long answer that vLLM's parser holds back);
one whose last message starts with "Count" gets a long reasoning (1,500
tokens) before its answer, for a stream still going when a server stops.

    --logits-processors scripted_harmony:ScriptedHarmony   (with this folder on PYTHONPATH)
"""

import os

import torch
from tokenizers import Tokenizer
from vllm.v1.sample.logits_processor import BatchUpdate, LogitsProcessor
from vllm.v1.sample.logits_processor.interface import MoveDirectionality

ANSWER = (
    "<|channel|>analysis<|message|>The user greets me. I answer briefly.<|end|>"
    "<|start|>assistant<|channel|>final<|message|>Hello! How can I help?<|return|>"
)
# A long answer, for a stream that is still going when a server stops.
LONG = (
    "<|channel|>analysis<|message|>" + " one" * 1500 + "<|end|>"
    "<|start|>assistant<|channel|>final<|message|>Done.<|return|>"
)
TOOL_CALL = (
    "<|channel|>analysis<|message|>I need the weather, so I call the tool.<|end|>"
    "<|start|>assistant<|channel|>commentary to=functions.get_weather "
    '<|constrain|>json<|message|>{"city":"Paris","unit":"celsius"}<|call|>'
)


class ScriptedHarmony(LogitsProcessor):
    def __init__(self, vllm_config, device, is_pin_memory):
        path = os.path.join(vllm_config.model_config.model, "tokenizer.json")
        self.tokenizer = Tokenizer.from_file(path)
        encode = lambda text: self.tokenizer.encode(text, add_special_tokens=False).ids
        self.answer = encode(ANSWER)
        self.tool_call = encode(TOOL_CALL)
        self.long = encode(LONG)
        # batch index -> (script, the request's output tokens, a live list)
        self.scripts = {}

    def is_argmax_invariant(self):
        return False

    def update_state(self, batch_update: BatchUpdate | None):
        if batch_update is None:
            return
        for index in batch_update.removed:
            self.scripts.pop(index, None)
        for index, _params, prompt, output in batch_update.added:
            text = self.tokenizer.decode(prompt or [], skip_special_tokens=False)
            last_user = text.rsplit("<|start|>user<|message|>", 1)[-1]
            if last_user.startswith("Go on"):
                self.scripts.pop(index, None)
            elif last_user.startswith("Count"):
                self.scripts[index] = (self.long, output)
            elif "namespace functions" in text and "to=assistant" not in last_user:
                # Tools, and no tool result yet since the user spoke: call one.
                self.scripts[index] = (self.tool_call, output)
            else:
                self.scripts[index] = (self.answer, output)
        for a, b, direction in batch_update.moved:
            first, second = self.scripts.pop(a, None), self.scripts.pop(b, None)
            if first is not None:
                self.scripts[b] = first
            if direction == MoveDirectionality.SWAP and second is not None:
                self.scripts[a] = second

    def apply(self, logits: torch.Tensor) -> torch.Tensor:
        for index, (script, output) in self.scripts.items():
            step = len(output)
            if step < len(script):
                logits[index] = float("-inf")
                logits[index, script[step]] = 0.0
        return logits

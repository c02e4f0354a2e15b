"""Writes a tiny gpt-oss model for the live tier: the real architecture
(model_type gpt_oss, sliding and full attention, a mixture of experts) at toy
sizes, random weights (seeded), no quantization, the real tokenizer files and
the real chat template.

    python make_model.py OUT TOKENIZER_DIR CHAT_TEMPLATE
"""

import json
import os
import shutil
import sys

import torch
from transformers import GptOssConfig, GptOssForCausalLM

out, tokenizer_dir, template = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
config = GptOssConfig(
    vocab_size=201088,
    hidden_size=64,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    # vLLM's CPU attention has kernels for head sizes such as 64, not 16.
    head_dim=64,
    num_local_experts=4,
    num_experts_per_tok=2,
    max_position_embeddings=8192,
    sliding_window=128,
    layer_types=["sliding_attention", "full_attention"],
    rope_scaling={
        "rope_type": "yarn",
        "factor": 32.0,
        "beta_fast": 32.0,
        "beta_slow": 1.0,
        "truncate": False,
        "original_max_position_embeddings": 4096,
    },
    eos_token_id=200002,
    pad_token_id=199999,
    bos_token_id=199998,
)
torch.manual_seed(0)
GptOssForCausalLM(config).to(torch.bfloat16).save_pretrained(
    out, safe_serialization=True
)
# gpt-oss-20b's own generation config: generation also ends at <|call|>
# (200012), so vLLM stops after a tool call as it does with the real model
# (with 200002 alone it went on sampling to max_tokens after the call).
with open(os.path.join(out, "generation_config.json"), "w") as f:
    json.dump(
        {
            "bos_token_id": 199998,
            "do_sample": True,
            "eos_token_id": [200002, 199999, 200012],
            "pad_token_id": 199999,
        },
        f,
        indent=2,
    )
for name in ["tokenizer.json", "tokenizer_config.json"]:
    shutil.copy(os.path.join(tokenizer_dir, name), os.path.join(out, name))
shutil.copy(template, os.path.join(out, "chat_template.jinja"))

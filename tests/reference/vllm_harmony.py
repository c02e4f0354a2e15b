"""The prompt vLLM's chat path renders for gpt-oss, made by vLLM's own code.

Loads `harmony_utils.py` from a vLLM wheel (the module that turns chat
messages into harmony messages), with the few vLLM modules it imports stood in
for by stubs (its settings, its logger, a tool class), and openai-harmony (or
its successor oss-harmony) as installed: the reference the client's harmony
path is tested against (tests/harmony_reference_test.ts).

The order of the pieces follows `_make_request_with_harmony`, the function of
vLLM's serving layer that calls these functions, as it is in each release:
- before 0.23: vLLM's system message, a developer message with the tools when
  the request has tools, then every chat message converted;
- from 0.23: the first chat message, when it is a system or developer message,
  becomes the instructions of the developer message (with the tools), and the
  rest are converted.

    python3 vllm_harmony.py HARMONY_UTILS_PY LAYOUT < cases.json > ids.json

LAYOUT is "separate-system" (before 0.23) or "folded-instructions" (0.23 on).
Each case: {"messages", "tools"?, "reasoning_effort"?, "date"}. Each answer:
{"ids": [...], "text": "..."} or {"error": "..."}.
"""

import importlib.util
import json
import sys
import types


def stub_module(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


class Settings:
    VLLM_GPT_OSS_HARMONY_SYSTEM_INSTRUCTIONS = False
    VLLM_SYSTEM_START_DATE = None


class ChatCompletionToolsParam:
    """Stands in for vLLM's pydantic model: the attributes vLLM reads."""

    def __init__(self, tool):
        function = tool["function"]
        self.type = tool.get("type", "function")
        self.function = types.SimpleNamespace(
            name=function["name"],
            description=function.get("description"),
            parameters=function.get("parameters"),
        )


class ResponsesTool:
    pass


class VLLMValidationError(ValueError):
    def __init__(self, message, parameter=None):
        super().__init__(message)
        self.parameter = parameter


class Logger:
    def __getattr__(self, _name):
        return lambda *args, **kwargs: None


SETTINGS = Settings()
for package in ("vllm", "vllm.entrypoints", "vllm.entrypoints.openai",
                "vllm.entrypoints.openai.chat_completion", "openai",
                "openai.types", "openai.types.responses"):
    stub_module(package, __path__=[])
stub_module("vllm.envs")
sys.modules["vllm"].envs = SETTINGS
sys.modules["vllm.envs"] = SETTINGS
stub_module("vllm.entrypoints.openai.chat_completion.protocol",
            ChatCompletionToolsParam=ChatCompletionToolsParam)
stub_module("vllm.exceptions", VLLMValidationError=VLLMValidationError)
stub_module("vllm.logger", init_logger=lambda _name: Logger())
stub_module("openai.types.responses.tool", Tool=ResponsesTool)


def load(path):
    spec = importlib.util.spec_from_file_location("harmony_utils", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render(utils, layout, case):
    SETTINGS.VLLM_SYSTEM_START_DATE = case["date"]
    tools = [ChatCompletionToolsParam(t) for t in case.get("tools") or []]
    effort = case.get("reasoning_effort")
    chat = list(case["messages"])
    if layout == "separate-system":
        messages = [utils.get_system_message(reasoning_effort=effort)]
        if tools:
            messages.append(utils.get_developer_message(tools=tools))
    else:
        instructions, chat = utils.extract_instructions_from_messages(chat)
        messages = utils.build_harmony_preamble(
            instructions=instructions,
            tools=tools or None,
            reasoning_effort=effort,
        )
    messages.extend(utils.parse_chat_inputs_to_harmony_messages(chat))
    ids = utils.render_for_completion(messages)
    return {"ids": ids, "text": utils.get_encoding().decode_utf8(ids)}


def main():
    utils = load(sys.argv[1])
    layout = sys.argv[2]
    answers = []
    for case in json.load(sys.stdin):
        try:
            answers.append(render(utils, layout, case))
        except Exception as error:  # a case vLLM rejects is an answer too
            answers.append({"error": f"{type(error).__name__}: {error}"})
    json.dump(answers, sys.stdout)


main()

"""What openai-harmony's StreamableParser reads from completions, token by
token, as vLLM feeds it a gpt-oss answer: the reference the client's harmony
splitter is tested against (tests/harmony_parser_reference_test.ts).

    python3 harmony_parse.py < completions.json > parsed.json

Each completion is the text after the prompt's `<|start|>assistant`, special
tokens written out. Each answer: {"pieces": [the text as a server streams it,
token by token, a character cut between tokens held back to the next],
"messages": [{"channel", "recipient", "text"}]} (the last one possibly
unfinished), or {"error": "..."}.
"""

import json
import sys

from openai_harmony import (
    HarmonyEncodingName,
    Role,
    StreamableParser,
    load_harmony_encoding,
)

encoding = load_harmony_encoding(HarmonyEncodingName.HARMONY_GPT_OSS)
out = []
for text in json.load(sys.stdin):
    ids = encoding.encode(text, allowed_special="all")
    parser = StreamableParser(encoding, role=Role.ASSISTANT)
    try:
        for token in ids:
            parser.process(token)
        messages = [
            {
                "channel": m.channel,
                "recipient": m.recipient,
                "text": "".join(c.text for c in m.content),
            }
            for m in parser.messages
        ]
        # An unfinished message: its text so far, or a call begun (its name known).
        if parser.current_content or parser.current_recipient:
            messages.append(
                {
                    "channel": parser.current_channel,
                    "recipient": parser.current_recipient,
                    "text": parser.current_content,
                }
            )
        pieces, before = [], ""
        for k in range(1, len(ids) + 1):
            text_so_far = encoding.decode(ids[:k])
            if not text_so_far.endswith("\ufffd") or k == len(ids):
                pieces.append(text_so_far[len(before):])
                before = text_so_far
        out.append({"pieces": pieces, "messages": messages})
    except Exception as error:  # a completion the parser refuses
        out.append({"error": str(error)})
json.dump(out, sys.stdout)

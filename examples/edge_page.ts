/**
 * The page of the edge-function example: a question box, and the reasoning
 * and the answer rendered apart as they stream in (newline-delimited JSON
 * from `POST /chat`).
 *
 * @module
 */

/** The HTML, with its script inline: an edge function has no files to serve. */
export const EDGE_PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GPT-OSS, streamed through an edge function</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44em; margin: 2em auto; padding: 0 1em; }
  form { display: flex; gap: .5em; }
  input { flex: 1; font: inherit; padding: .4em; }
  #reasoning { color: #777; font-style: italic; white-space: pre-wrap; }
  #answer { white-space: pre-wrap; }
  #status { color: #555; font-size: .9em; }
</style>
<h1>Ask GPT-OSS</h1>
<form id="ask"><input id="question" name="question" autocomplete="off" placeholder="Ask anything"><button>Ask</button></form>
<h2>Reasoning</h2><p id="reasoning"></p>
<h2>Answer</h2><p id="answer"></p>
<p id="status"></p>
<script type="module">
const $ = (id) => document.getElementById(id);
$("ask").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("reasoning").textContent = "";
  $("answer").textContent = "";
  $("status").textContent = "thinking…";
  const response = await fetch("/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: $("question").value }] }),
  });
  if (!response.ok) {
    $("status").textContent = "error: " + (await response.text());
    return;
  }
  let pending = "";
  for await (const text of response.body.pipeThrough(new TextDecoderStream())) {
    pending += text;
    let end;
    while ((end = pending.indexOf("\\n")) !== -1) {
      const message = JSON.parse(pending.slice(0, end));
      pending = pending.slice(end + 1);
      if (message.reasoning) $("reasoning").textContent += message.reasoning;
      if (message.content) $("answer").textContent += message.content;
      if (message.done) $("status").textContent = message.incomplete ? "incomplete" : "done";
      if (message.error) $("status").textContent = "error: " + message.error.message;
    }
  }
});
</script>
</html>
`;

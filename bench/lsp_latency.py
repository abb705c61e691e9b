#!/usr/bin/env python3
"""Language server latency (a benchmark, not a test): how long an editor waits for diagnostics.

    python3 bench/lsp_latency.py [REPS]      env: ECOLINT=path/to/ecolint

Starts `ecolint server` once and, for each file below, measures
  open   -> diagnostics: didOpen sent until its publishDiagnostics arrives (linted at once);
  change -> diagnostics: an incremental didChange (one character typed) until the diagnostics of
                         that version arrive; this includes the server's debounce (25 ms), which
                         is the point: it is what a user waits after a keystroke.
Each file is opened, changed REPS times and closed, REPS times over; medians, 90th percentiles and
maxima are printed in milliseconds. The protocol client is tests/e2e/lsp_client.py.
"""
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
from lsp_client import LspClient, file_uri  # noqa: E402


def generated_training_script(copies=60):
    """A long training script (~1,700 lines): many functions, one finding of each rule."""
    block = '''
def stage_{i}(prompts, tokenizer, model):
    """Stage {i}: tokenize, generate, decode."""
    results = []
    for start in range(0, len(prompts), 16):
        batch = prompts[start:start + 16]
        inputs = tokenizer(batch, return_tensors="pt", padding=True)
        outputs = model.generate(**inputs, max_new_tokens=64)
        results.extend(tokenizer.batch_decode(outputs, skip_special_tokens=True))
    stats = {{"stage": {i}, "count": len(results), "mean": sum(map(len, results)) / max(1, len(results))}}
    print(stats)
    return results
'''
    head = ('import torch\nfrom transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig\n\n'
            'quantization = BitsAndBytesConfig(load_in_8bit=True)\n'
            'model = AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-v0.1", quantization_config=quantization)\n')
    tail = '\nfor prompt in prompts:\n    ids = tokenizer(prompt, return_tensors="pt")\n    model.generate(**ids)\n'
    return head + "".join(block.format(i=i) for i in range(copies)) + tail


def files():
    out = []
    for rel in ("examples/serve_int8.py", "examples/deploy/tgi-deployment.yaml", "examples/notebooks/phi2_chat_4bit.ipynb"):
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            out.append((rel, os.path.join("/tmp/ecolint-lsp-bench", rel), f.read()))
    out.append(("generated training script", "/tmp/ecolint-lsp-bench/train_long.py", generated_training_script()))
    return out


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    ecolint = os.environ.get("ECOLINT", os.path.join(REPO, "build", "ecolint"))
    client = LspClient([ecolint, "server"])
    client.response(client.request("initialize", {"processId": os.getpid(), "capabilities": {}, "rootUri": None}))
    client.notify("initialized", {})
    print("ecolint server latency, %d repetitions per file (ms): median / p90 / max" % reps)
    print("%-40s %7s %22s %22s" % ("file", "lines", "open -> diagnostics", "change -> diagnostics"))
    for name, path, text in files():
        uri = file_uri(path)
        opens, changes = [], []
        for rep in range(reps):
            version = 1
            sent = time.monotonic()
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "", "version": version, "text": text}})
            when, _ = client.diagnostics(uri)
            opens.append((when - sent) * 1000)
            # Type one character at the end of the first line, then delete it: each change awaited.
            first_line = text.split("\n", 1)[0]
            for k in range(reps):
                version += 1
                at = {"line": 0, "character": len(first_line.encode("utf-16-le")) // 2}
                change = ({"range": {"start": at, "end": at}, "text": " "} if k % 2 == 0 else
                          {"range": {"start": at, "end": {"line": 0, "character": at["character"] + 1}}, "text": ""})
                sent = time.monotonic()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
                v = version
                when, _ = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                          and m["params"]["uri"] == uri and m["params"].get("version") == v)
                changes.append((when - sent) * 1000)
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            client.diagnostics(uri)
        fmt = lambda v: "%6.1f / %5.1f / %5.1f" % (statistics.median(v), percentile(v, 90), max(v))
        print("%-40s %7d %22s %22s" % (name, text.count("\n"), fmt(opens), fmt(changes)))
    client.request("shutdown")
    client.notify("exit")
    client.close()


if __name__ == "__main__":
    main()

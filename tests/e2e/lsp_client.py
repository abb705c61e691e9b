#!/usr/bin/env python3
"""A small Language Server Protocol client (standard library only) for `ecolint server`.

As a test (default): drives the server at the protocol level and checks what an editor relies on:
errors before initialize and for bad input, position encodings, text and notebook document sync,
configuration files and settings changing, hover, code actions, shutdown and exit.

    lsp_client.py ECOLINT_BINARY WORK_DIR

Also imported by bench/lsp_latency.py (the LspClient class).
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time


class LspClient:
    """Frames messages to the server's stdin and collects what it writes to stdout."""

    def __init__(self, argv, cwd=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.messages = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = b""
            while not headers.endswith(b"\r\n\r\n"):
                byte = out.read(1)
                if not byte:
                    self.messages.put(None)  # the server closed its output
                    return
                headers += byte
            length = None
            for line in headers.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = out.read(length)
            self.messages.put((time.monotonic(), json.loads(body)))

    def write_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send_body(self, body):
        self.write_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send_body(json.dumps(message).encode())

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.send_body(json.dumps(message).encode())
        return rid

    def wait_for(self, predicate, timeout=20.0, handle_requests=None):
        """The first message (time, json) matching `predicate`; others are dropped. Requests from
        the server (registerCapability, configuration) are answered by `handle_requests` or null."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message")
            item = self.messages.get(timeout=left)
            if item is None:
                raise EOFError("the server closed its output")
            when, msg = item
            if "method" in msg and "id" in msg:  # a request from the server
                result = handle_requests(msg) if handle_requests else None
                self.send_body(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}).encode())
            if predicate(msg):
                return when, msg

    def response(self, rid, timeout=20.0, handle_requests=None):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout, handle_requests)[1]

    def diagnostics(self, uri, timeout=20.0, handle_requests=None, where=None):
        """The next publishDiagnostics for `uri` (matching `where`, if given)."""
        def match(m):
            return (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and (where is None or where(m["params"]["diagnostics"])))
        return self.wait_for(match, timeout, handle_requests)

    def close(self, timeout=10):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def file_uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


INT8 = "q = BitsAndBytesConfig(load_in_8bit=True)\n"


class Checks:
    def __init__(self):
        self.failures = 0

    def check(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failures += 1
        return ok


def edits_in(action, uri):
    """The text edits an action's WorkspaceEdit makes to `uri` (`changes` or `documentChanges`)."""
    edit = action["edit"]
    if "documentChanges" in edit:
        return [e for dc in edit["documentChanges"] if dc["textDocument"]["uri"] == uri for e in dc["edits"]]
    return edit["changes"].get(uri, [])


def codes(diags):
    return sorted(d.get("code", "") for d in diags)


def initialize(client, root, capabilities=None, options=None):
    params = {"processId": os.getpid(), "rootUri": file_uri(root), "capabilities": capabilities or {},
              "workspaceFolders": [{"uri": file_uri(root), "name": "proj"}]}
    if options is not None:
        params["initializationOptions"] = options
    reply = client.response(client.request("initialize", params))
    client.notify("initialized", {})
    return reply


def test_lifecycle_and_bad_input(ecolint, work, t):
    c = LspClient([ecolint, "server"], cwd=work)
    r = c.response(c.request("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}))
    t.check(r.get("error", {}).get("code") == -32002, "a request before initialize: ServerNotInitialized (-32002)")
    c.send_body(b"{not json")
    _, m = c.wait_for(lambda m: "error" in m and m.get("id") is None)
    t.check(m["error"]["code"] == -32700, "bad JSON: ParseError (-32700) with id null")
    c.write_raw(b"Content-Type: x\r\n\r\n")
    _, m = c.wait_for(lambda m: "error" in m and m.get("id") is None)
    t.check(m["error"]["code"] == -32700, "a header without Content-Length: ParseError")
    c.send_body(b"[1, 2]")
    _, m = c.wait_for(lambda m: "error" in m and m.get("id") is None)
    t.check(m["error"]["code"] == -32600, "a batch: InvalidRequest (-32600)")
    c.send_body(json.dumps({"jsonrpc": "2.0", "id": 99, "params": {}}).encode())
    r = c.response(99)
    t.check(r.get("error", {}).get("code") == -32600, "a request without a method: InvalidRequest")
    reply = initialize(c, work, {"general": {"positionEncodings": ["utf-16", "utf-32"]}})
    caps = reply["result"]["capabilities"]
    t.check(caps.get("positionEncoding") == "utf-32", "utf-32 is chosen when offered")
    t.check(caps.get("textDocumentSync", {}).get("change") == 2, "incremental text sync")
    t.check("notebookDocumentSync" in caps and caps.get("hoverProvider") is True and "codeActionProvider" in caps,
            "notebook sync, hover and code actions are offered")
    r = c.response(c.request("initialize", {"capabilities": {}}))
    t.check(r.get("error", {}).get("code") == -32600, "a second initialize: InvalidRequest")
    r = c.response(c.request("textDocument/definition", {}))
    t.check(r.get("error", {}).get("code") == -32601, "an unknown method: MethodNotFound (-32601)")
    c.notify("$/unknownNotification", {"x": 1})
    c.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.py", "version": 2}, "contentChanges": []})
    r = c.response(c.request("textDocument/hover", {"textDocument": {}}))
    t.check(r.get("error", {}).get("code") == -32602, "a request with bad params: InvalidParams (-32602)")
    # Hostile documents do not take the server down.
    for name, text in [("deep.py", "(" * 100000 + "\n"), ("bad.yaml", "a: [\n  - {{ .Values }}\n: :\n"),
                       ("bad.ipynb", '{"cells": [{"cell_type": "code", "source": 5}]'), ("nul.py", "x = 1\u0000\n")]:
        uri = file_uri(os.path.join(work, name))
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "", "version": 1, "text": text}})
    # Positions in UTF-32: the finding after an emoji (two UTF-16 units, one code point).
    uri = file_uri(os.path.join(work, "emoji.py"))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                        "text": 'x = "\U0001F600"; ' + INT8}})
    _, m = c.diagnostics(uri)
    start = m["params"]["diagnostics"][0]["range"]["start"]
    t.check(start == {"line": 0, "character": 32}, "utf-32 columns count code points (got %s)" % start)
    r = c.response(c.request("shutdown"))
    t.check("result" in r and r["result"] is None, "shutdown answers null")
    r = c.response(c.request("textDocument/hover", {}))
    t.check(r.get("error", {}).get("code") == -32600, "a request after shutdown: InvalidRequest")
    c.notify("exit")
    t.check(c.close() == 0, "exit after shutdown: exit status 0")

    c = LspClient([ecolint, "server"], cwd=work)
    initialize(c, work)
    uri = file_uri(os.path.join(work, "emoji16.py"))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                        "text": 'x = "\U0001F600"; ' + INT8}})
    _, m = c.diagnostics(uri)
    start = m["params"]["diagnostics"][0]["range"]["start"]
    t.check(start == {"line": 0, "character": 33}, "utf-16 (the default) counts a surrogate pair as two (got %s)" % start)
    c.notify("exit")
    t.check(c.close() == 1, "exit without shutdown: exit status 1")


def test_text_documents(ecolint, work, t):
    c = LspClient([ecolint, "server"], cwd=work)
    initialize(c, work, {"workspace": {"workspaceEdit": {"documentChanges": True}}})
    path = os.path.join(work, "serve.py")
    uri = file_uri(path)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": INT8}})
    _, m = c.diagnostics(uri)
    diags = m["params"]["diagnostics"]
    ok = t.check(len(diags) == 1 and diags[0]["code"] == "ECO001", "didOpen: the ECO001 diagnostic")
    if ok:
        d = diags[0]
        t.check(d["source"] == "ecolint" and d["severity"] == 2, "source ecolint, severity warning")
        t.check(d["codeDescription"]["href"].endswith("docs/rules/ECO001.md"), "codeDescription.href is the rule's doc")
        t.check("\nfix: " in d["message"] and "\nimpact: " in d["message"], "the message carries the fix and the impact")
        t.check(d["range"] == {"start": {"line": 0, "character": 23}, "end": {"line": 0, "character": 35}},
                "the range is the setting")
    r = c.response(c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 25}}))
    value = (r.get("result") or {}).get("contents", {}).get("value", "")
    t.check(r["result"]["contents"]["kind"] == "markdown" and "## Why it wastes energy" in value
            and "## How to fix it" in value and "## Evidence" in value, "hover: the rule's why, fix and evidence in Markdown")
    r = c.response(c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}))
    t.check(r.get("result") is None, "hover away from a finding: null")
    r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                         "range": {"start": {"line": 0, "character": 30}, "end": {"line": 0, "character": 30}},
                                                         "context": {"diagnostics": diags}}))
    actions = r["result"]
    titles = [a["title"] for a in actions]
    fix = next((a for a in actions if "llm_int8_threshold" in a["title"]), None)
    ignore = next((a for a in actions if "ignore on this line" in a["title"]), None)
    t.check(fix is not None and fix["kind"] == "quickfix", "code action: the rule's fix (quickfix) %s" % titles)
    t.check(ignore is not None, "code action: ignore on this line")
    if fix:
        change = fix["edit"]["documentChanges"][0]
        t.check(change["textDocument"] == {"uri": uri, "version": 1}, "the edit is versioned (documentChanges)")
        edit = change["edits"][0]
        t.check(edit["newText"] == ", llm_int8_threshold=0.0" and edit["range"]["start"] == {"line": 0, "character": 40},
                "the fix inserts llm_int8_threshold=0.0 after the keyword")
    if ignore:
        edit = ignore["edit"]["documentChanges"][0]["edits"][0]
        t.check(edit["newText"] == "  # ecolint: ignore[ECO001] <reason>", "the ignore comment names the rule")
    r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                         "range": {"start": {"line": 0, "character": 30}, "end": {"line": 0, "character": 30}},
                                                         "context": {"diagnostics": [], "only": ["source.organizeImports"]}}))
    t.check(r["result"] == [], "code actions of another kind: none")
    # Incremental change: the fix typed in; the diagnostic goes.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 0, "character": 40}, "end": {"line": 0, "character": 40}}, "text": ", llm_int8_threshold=0.0"}]})
    _, m = c.diagnostics(uri)
    t.check(m["params"]["diagnostics"] == [] and m["params"].get("version") == 2, "didChange (incremental): the diagnostic is gone")
    # Several changes in one notification, then a full replacement.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
        {"range": {"start": {"line": 0, "character": 40}, "end": {"line": 0, "character": 64}}, "text": ""},
        {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "# two\n"}]})
    _, m = c.diagnostics(uri)
    t.check(codes(m["params"]["diagnostics"]) == ["ECO001"], "several incremental changes in order")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": "x = 1\n"}]})
    _, m = c.diagnostics(uri)
    t.check(m["params"]["diagnostics"] == [], "a full-text change")
    # YAML and a raw .ipynb opened as text.
    yuri = file_uri(os.path.join(work, "compose.yml"))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": yuri, "languageId": "yaml", "version": 1, "text":
        "services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: --model m --max-num-seqs 1\n"}})
    _, m = c.diagnostics(yuri)
    t.check(codes(m["params"]["diagnostics"]) == ["ECO003"], "YAML: ECO003")
    r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": yuri}, "range": m["params"]["diagnostics"][0]["range"],
                                                         "context": {"diagnostics": m["params"]["diagnostics"]}}))
    edits = {a["title"]: edits_in(a, yuri)[0]["newText"] for a in r["result"]}
    t.check(edits.get("ECO003: ignore on this line") == "  # ecolint: ignore[ECO003] <reason>", "YAML: an ignore comment on the line")
    # In a folded block scalar a `#` would be part of the command: the file-level form instead.
    fold = file_uri(os.path.join(work, "folded.yml"))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": fold, "languageId": "yaml", "version": 1, "text":
        "services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: >\n      --model m\n      --max-num-seqs 1\n"}})
    _, m = c.diagnostics(fold)
    if t.check(codes(m["params"]["diagnostics"]) == ["ECO003"], "YAML folded command: ECO003"):
        r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": fold}, "range": m["params"]["diagnostics"][0]["range"],
                                                             "context": {"diagnostics": m["params"]["diagnostics"]}}))
        edits = {a["title"]: edits_in(a, fold)[0] for a in r["result"]}
        e = edits.get("ECO003: ignore in this file")
        t.check(e is not None and e["newText"] == "# ecolint: ignore-file[ECO003] <reason>\n"
                and e["range"]["start"] == {"line": 0, "character": 0}, "inside a block scalar: ignore-file on the first line")
        fix = next((a for a in r["result"] if "batch limit" in a["title"]), None)
        t.check(fix is not None and edits_in(fix, fold)[0]["range"]["start"]["line"] == 5,
                "the fix removes the flag's line")
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# notes\n"]},
                    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": ["import torch\n", "q = BitsAndBytesConfig(load_in_8bit=True)\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    raw = json.dumps(nb, indent=1) + "\n"
    nuri = file_uri(os.path.join(work, "raw.ipynb"))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": nuri, "languageId": "json", "version": 1, "text": raw}})
    _, m = c.diagnostics(nuri)
    diags = m["params"]["diagnostics"]
    line = raw.splitlines()[diags[0]["range"]["start"]["line"]] if diags else ""
    t.check(codes(diags) == ["ECO001"] and "load_in_8bit" in line, "a raw .ipynb: the finding at its JSON line")
    if diags:
        r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": nuri}, "range": diags[0]["range"],
                                                             "context": {"diagnostics": diags}}))
        fix = next((a for a in r["result"] if "llm_int8_threshold" in a["title"]), None)
        ignore = next((a for a in r["result"] if "ignore" in a["title"]), None)
        if t.check(fix is not None and ignore is not None, "a raw .ipynb: fix and ignore actions"):
            # Both computed against the same text: applied together, as an editor applies one.
            text = apply_edits(raw, fix["edit"]["documentChanges"][0]["edits"] + ignore["edit"]["documentChanges"][0]["edits"])
            fixed = json.loads(text)
            src = "".join(fixed["cells"][1]["source"])
            t.check(src == "import torch\nq = BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=0.0)"
                           "  # ecolint: ignore[ECO001] <reason>\n", "both edits land inside the JSON string: %r" % src)
    c.notify("textDocument/didClose", {"textDocument": {"uri": yuri}})
    _, m = c.diagnostics(yuri)
    t.check(m["params"]["diagnostics"] == [], "didClose clears the diagnostics")
    c.request("shutdown")
    c.notify("exit")
    t.check(c.close() == 0, "clean exit")


def apply_edits(text, edits):
    """Applies LSP text edits (UTF-16 positions) to `text`."""
    lines = text.split("\n")
    def offset(p):
        before = sum(len(l) + 1 for l in lines[:p["line"]])
        line = lines[p["line"]] if p["line"] < len(lines) else ""
        units, i = 0, 0
        while i < len(line) and units < p["character"]:
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return before + i
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        a, b = offset(e["range"]["start"]), offset(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
        lines = text.split("\n")
    return text


def test_notebooks(ecolint, work, t):
    c = LspClient([ecolint, "server"], cwd=work)
    initialize(c, work)
    nb_uri = file_uri(os.path.join(work, "chat.ipynb"))
    md, code1, code2 = nb_uri + "#md", nb_uri + "#c1", nb_uri + "#c2"
    c.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": nb_uri, "notebookType": "jupyter-notebook", "version": 1, "metadata": {},
                             "cells": [{"kind": 1, "document": md}, {"kind": 2, "document": code1}, {"kind": 2, "document": code2}]},
        "cellTextDocuments": [
            {"uri": md, "languageId": "markdown", "version": 1, "text": "BitsAndBytesConfig(load_in_8bit=True) in prose\n"},
            {"uri": code1, "languageId": "python", "version": 1, "text": "import torch\nMODEL = \"TinyLlama/TinyLlama-1.1B-Chat-v1.0\"\n"},
            {"uri": code2, "languageId": "python", "version": 1,
             "text": "from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained(MODEL, load_in_4bit=True)\n"}]})
    _, m = c.diagnostics(code2)
    diags = m["params"]["diagnostics"]
    ok = t.check(codes(diags) == ["ECO002"], "notebook sync: ECO002 on the second code cell (a constant from the first)")
    if ok:
        t.check(diags[0]["range"] == {"start": {"line": 1, "character": 48}, "end": {"line": 1, "character": 60}},
                "the range is in the cell's own text (got %s)" % diags[0]["range"])
        r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": code2}, "range": diags[0]["range"],
                                                             "context": {"diagnostics": diags}}))
        fix = next((a for a in r["result"] if "BF16" in a["title"]), None)
        if t.check(fix is not None, "notebook sync: the fix as a code action on the cell"):
            edits = fix["edit"]["changes"][code2]
            t.check(edits == [{"range": {"start": {"line": 1, "character": 48}, "end": {"line": 1, "character": 65}},
                               "newText": "torch_dtype=torch.bfloat16"}], "the edit is in the cell document: %s" % edits)
        r = c.response(c.request("textDocument/hover", {"textDocument": {"uri": code2}, "position": {"line": 1, "character": 50}}))
        t.check("ECO002" in (r.get("result") or {}).get("contents", {}).get("value", ""), "hover in a cell")
    # Without `import torch` the fix edits two cells: the import goes before the first import.
    c.notify("notebookDocument/didChange", {"notebookDocument": {"uri": nb_uri, "version": 2}, "change": {"cells": {"textContent": [
        {"document": {"uri": code1, "version": 2}, "changes": [
            {"range": {"start": {"line": 0, "character": 7}, "end": {"line": 0, "character": 12}}, "text": "os"}]}]}}})
    _, m = c.diagnostics(code2)
    r = c.response(c.request("textDocument/codeAction", {"textDocument": {"uri": code2}, "range": m["params"]["diagnostics"][0]["range"],
                                                         "context": {"diagnostics": m["params"]["diagnostics"]}}))
    fix = next((a for a in r["result"] if "BF16" in a["title"]), None)
    if t.check(fix is not None, "a fix across two cells is offered"):
        changes = fix["edit"]["changes"]
        t.check(sorted(changes) == sorted([code1, code2]) and changes[code1][0]["newText"] == "import torch\n"
                and changes[code1][0]["range"]["start"] == {"line": 0, "character": 0}
                and changes[code2][0]["newText"] == "torch_dtype=torch.bfloat16",
                "`import torch` goes into the first cell, the dtype into this one: %s" % changes)
    c.notify("notebookDocument/didChange", {"notebookDocument": {"uri": nb_uri, "version": 3}, "change": {"cells": {"textContent": [
        {"document": {"uri": code1, "version": 3}, "changes": [
            {"range": {"start": {"line": 0, "character": 7}, "end": {"line": 0, "character": 9}}, "text": "torch"}]}]}}})
    _, m = c.diagnostics(code2)
    # The cell is edited: the fix typed in.
    c.notify("notebookDocument/didChange", {"notebookDocument": {"uri": nb_uri, "version": 4}, "change": {"cells": {"textContent": [
        {"document": {"uri": code2, "version": 2}, "changes": [
            {"range": {"start": {"line": 1, "character": 48}, "end": {"line": 1, "character": 65}}, "text": "torch_dtype=torch.bfloat16"}]}]}}})
    _, m = c.diagnostics(code2)
    t.check(m["params"]["diagnostics"] == [], "notebook didChange: the finding goes")
    # A cell is inserted before the others (structure change): its finding is reported on it.
    new = nb_uri + "#c0"
    c.notify("notebookDocument/didChange", {"notebookDocument": {"uri": nb_uri, "version": 5}, "change": {"cells": {"structure": {
        "array": {"start": 0, "deleteCount": 0, "cells": [{"kind": 2, "document": new}]},
        "didOpen": [{"uri": new, "languageId": "python", "version": 1, "text": INT8}]}}}})
    _, m = c.diagnostics(new)
    t.check(codes(m["params"]["diagnostics"]) == ["ECO001"] and m["params"]["diagnostics"][0]["range"]["start"]["line"] == 0,
            "a new cell's finding, in that cell")
    c.notify("notebookDocument/didClose", {"notebookDocument": {"uri": nb_uri},
                                           "cellTextDocuments": [{"uri": u} for u in (new, md, code1, code2)]})
    _, m = c.diagnostics(new)
    t.check(m["params"]["diagnostics"] == [], "closing the notebook clears its cells")
    c.request("shutdown")
    c.notify("exit")
    t.check(c.close() == 0, "clean exit")


def test_configuration(ecolint, work, t):
    proj = os.path.join(work, "configured")
    os.makedirs(proj, exist_ok=True)
    config = os.path.join(proj, ".ecolint.yaml")
    with open(config, "w") as f:
        f.write("ignore: [ECO001]\n")
    registered = []

    def answer(msg):
        if msg["method"] == "client/registerCapability":
            registered.extend(r["registerOptions"]["watchers"] for r in msg["params"]["registrations"])
        if msg["method"] == "workspace/configuration":
            return [{}]
        return None

    c = LspClient([ecolint, "server"], cwd=proj)
    initialize(c, proj, {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}, "configuration": True}})
    uri = file_uri(os.path.join(proj, "serve.py"))
    text = INT8 + "from vllm import LLM\nllm = LLM(model='m', max_num_seqs=1)\n"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    _, m = c.diagnostics(uri, handle_requests=answer)
    t.check(codes(m["params"]["diagnostics"]) == ["ECO003"], ".ecolint.yaml found as the CLI finds it: ECO001 ignored")
    t.check(any("**/.ecolint.yaml" in json.dumps(w) for w in registered), "file watchers registered for the configuration files")
    with open(config, "w") as f:
        f.write("select: [ECO001]\n")
    c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": file_uri(config), "type": 2}]})
    _, m = c.diagnostics(uri, handle_requests=answer, where=lambda d: codes(d) == ["ECO001"])
    t.check(True, "a changed .ecolint.yaml re-lints: only ECO001 now")
    # A pyproject.toml saved in the editor counts too.
    os.remove(config)
    with open(os.path.join(proj, "pyproject.toml"), "w") as f:
        f.write("[tool.ecolint]\nselect = [\"ECO003\"]\n")
    c.notify("textDocument/didSave", {"textDocument": {"uri": file_uri(os.path.join(proj, "pyproject.toml"))}})
    _, m = c.diagnostics(uri, handle_requests=answer, where=lambda d: codes(d) == ["ECO003"])
    t.check(True, "a saved pyproject.toml re-lints: [tool.ecolint] applies")
    # Settings from the editor override the file, as the command line does.
    c.notify("workspace/didChangeConfiguration", {"settings": {"ecolint": {"select": ["ECO001", "ECO003"], "ignore": ["ECO003"]}}})
    _, m = c.diagnostics(uri, handle_requests=answer, where=lambda d: codes(d) == ["ECO001"])
    t.check(True, "workspace/didChangeConfiguration: client settings override the file")
    # A broken configuration file: a message, and the defaults meanwhile.
    with open(os.path.join(proj, "pyproject.toml"), "w") as f:
        f.write("[tool.ecolint]\nselct = 1\n")
    c.notify("workspace/didChangeConfiguration", {"settings": {"ecolint": {}}})
    _, m = c.wait_for(lambda m: m.get("method") == "window/showMessage", handle_requests=answer)
    t.check("selct" in m["params"]["message"], "a bad configuration file is shown to the user")
    _, m = c.diagnostics(uri, handle_requests=answer)
    t.check(codes(m["params"]["diagnostics"]) == ["ECO001", "ECO003"], "and the defaults apply meanwhile")
    c.request("shutdown")
    c.notify("exit")
    t.check(c.close() == 0, "clean exit")


def main():
    ecolint, work = sys.argv[1], sys.argv[2]
    t = Checks()
    for test in (test_lifecycle_and_bad_input, test_text_documents, test_notebooks, test_configuration):
        print("--", test.__name__)
        try:
            test(ecolint, work, t)
        except (TimeoutError, EOFError, queue.Empty) as e:
            t.check(False, "%s: %s: %s" % (test.__name__, type(e).__name__, e))
    print("%d check(s) failed" % t.failures if t.failures else "all checks passed")
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())

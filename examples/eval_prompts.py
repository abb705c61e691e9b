"""Answer every question of an evaluation set with a local chat model."""
import json

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL_ID = "Qwen/Qwen2.5-7B-Instruct"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
model = AutoModelForCausalLM.from_pretrained(MODEL_ID, torch_dtype=torch.bfloat16, device_map="auto")

with open("questions.jsonl") as f:
    questions = [json.loads(line)["question"] for line in f]

answers = []
for question in questions:
    messages = [{"role": "user", "content": question}]
    inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt").to(model.device)
    output = model.generate(inputs, max_new_tokens=256, do_sample=False)
    answers.append(tokenizer.decode(output[0][inputs.shape[1]:], skip_special_tokens=True))

with open("answers.json", "w") as f:
    json.dump(answers, f, indent=2)

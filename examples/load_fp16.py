"""Clean: a small model loaded in FP16, and a large one in 4-bit where NF4 saves energy."""
import torch
from transformers import AutoModelForCausalLM, BitsAndBytesConfig

small = AutoModelForCausalLM.from_pretrained(
    "Qwen/Qwen2.5-1.5B-Instruct", torch_dtype=torch.float16, device_map="auto"
)

large = AutoModelForCausalLM.from_pretrained(
    "meta-llama/Llama-2-13b-chat-hf",
    quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4"),
    device_map="auto",
)

"""Clean: 8-bit without the outlier decomposition (llm_int8_threshold=0.0).

Note: the zero threshold changes model outputs; check your evaluation before shipping it.
"""
from transformers import AutoModelForCausalLM, BitsAndBytesConfig

model = AutoModelForCausalLM.from_pretrained(
    "01-ai/Yi-1.5-6B",
    quantization_config=BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=0.0),
    device_map="auto",
)

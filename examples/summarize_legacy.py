"""Legacy summarisation helper written against transformers 4.30."""
from transformers import pipeline

summarizer = pipeline(
    "summarization",
    model="facebook/bart-large-cnn",
    model_kwargs={"load_in_8bit": True, "device_map": "auto"},
)


def summarize(text: str) -> str:
    return summarizer(text, max_length=120)[0]["summary_text"]

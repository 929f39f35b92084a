"""The Gradio web UI: chat with cited quotes, a source viewer, and where the sources disagree."""

"""The claim packet: the JSON document, its Markdown rendering and the cover text for the provider."""

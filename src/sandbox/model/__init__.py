"""The simulated model's behaviour behind the Messages API: token counting, prompt cache, replies."""
